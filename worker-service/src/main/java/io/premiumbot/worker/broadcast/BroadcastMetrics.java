package io.premiumbot.worker.broadcast;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Broadcast messages by outcome, registered at start (a fixed set of outcomes: the label stays bounded). */
@Startup
@ApplicationScoped
public class BroadcastMetrics {

    /** What became of one message; {@code DEFERRED}: not sent this time (no budget, flood wait), it waits again. */
    public enum Outcome {
        SENT,
        BLOCKED,
        FAILED,
        UNKNOWN,
        SKIPPED,
        DEFERRED
    }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    public BroadcastMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(
                    outcome,
                    Counter.builder("premium_broadcast_messages")
                            .description("Broadcast messages by outcome")
                            .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
    }

    void count(Outcome outcome, int messages) {
        counters.get(outcome).increment(messages);
    }
}
