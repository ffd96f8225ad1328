package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

/**
 * One circuit breaker per group of Bot API methods (SmallRye Fault Tolerance guards), so that one method's failures
 * never stop another's calls: refunds answering 502 leave gifts alone. A breaker only stops hammering a Telegram that
 * fails; it never retries. Failures that say nothing about Telegram's health (a refusal, a 429) don't count.
 */
@Startup // its gauges exist from the start, before the first call
@ApplicationScoped
public class TelegramCircuits {

    /** The groups; every method belongs to one. Bounded: they are a metric label. */
    public enum Group {
        GIFT,
        REFUND,
        MESSAGE,
        READ;

        public static Group of(String method) {
            return switch (method) {
                case "giftPremiumSubscription" -> GIFT;
                case "refundStarPayment" -> REFUND;
                case "sendMessage" -> MESSAGE;
                // getStarTransactions, getMyStarBalance, getWebhookInfo: reads of the bot's own state
                default -> READ;
            };
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int REQUEST_VOLUME = 10;
    private static final double FAILURE_RATIO = 0.5;
    private static final int SUCCESS_THRESHOLD = 2;

    private final Map<Group, Circuit> circuits = new EnumMap<>(Group.class);

    public TelegramCircuits(TelegramConfig config, MeterRegistry registry) {
        long openMillis = config.circuitOpenMillis();
        for (Group group : Group.values()) {
            Circuit circuit = new Circuit(TimeUnit.MILLISECONDS.toNanos(openMillis));
            circuit.guard = guard(circuit, openMillis);
            circuits.put(group, circuit);
            Gauge.builder("premium.telegram.circuit.open", circuit, c -> c.state == CircuitBreakerState.CLOSED ? 0 : 1)
                    .description("1 while a Bot API method group's circuit breaker is open or half-open")
                    .tag("group", group.label())
                    .register(registry);
        }
    }

    private static TypedGuard<Uni<Object>> guard(Circuit circuit, long openMillis) {
        return TypedGuard.create(new TypeLiteral<Uni<Object>>() {})
                .withCircuitBreaker()
                .requestVolumeThreshold(REQUEST_VOLUME)
                .failureRatio(FAILURE_RATIO)
                .delay(openMillis, ChronoUnit.MILLIS)
                .successThreshold(SUCCESS_THRESHOLD)
                .skipOn(List.of(TelegramException.Rejected.class, TelegramException.RateLimited.class))
                .onStateChange(circuit::changed)
                .done()
                .build();
    }

    /**
     * Every breaker closed with no history, as in a freshly started worker; for the tests, which share one worker and
     * must not inherit another test's failures.
     */
    void closeAll() {
        for (Circuit circuit : circuits.values()) {
            circuit.state = CircuitBreakerState.CLOSED;
            circuit.guard = guard(circuit, TimeUnit.NANOSECONDS.toMillis(circuit.openNanos));
        }
    }

    /** The call through its method group's breaker; fails with SmallRye's CircuitBreakerOpenException while open. */
    public Uni<Object> call(String method, Supplier<Uni<Object>> call) {
        return circuits.get(Group.of(method)).guard.get(call);
    }

    /**
     * How long the method's circuit stays open still, when it is open and its delay has not run out; empty when a
     * call may go through (closed, half-open, or open with its trial due: the breaker itself decides then).
     */
    public Optional<Duration> openFor(String method) {
        return circuits.get(Group.of(method)).openFor();
    }

    private static final class Circuit {
        private final long openNanos;
        private volatile TypedGuard<Uni<Object>> guard;
        private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        private volatile long openedAt;

        Circuit(long openNanos) {
            this.openNanos = openNanos;
        }

        void changed(CircuitBreakerState next) {
            if (next == CircuitBreakerState.OPEN) {
                openedAt = System.nanoTime();
            }
            state = next;
        }

        Optional<Duration> openFor() {
            if (state != CircuitBreakerState.OPEN) {
                return Optional.empty();
            }
            long left = openedAt + openNanos - System.nanoTime();
            return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
        }
    }
}
