package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.premiumbot.model.queue.DeliveryJob;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The delivery pipeline's meters, each registered at zero when the worker starts. Prometheus sees a counter only
 * once it is scraped: one that appeared with its first increment never shows that increment to {@code rate()} or
 * {@code increase()} (the first refund after a start would not count toward DeliveriesFailing, the first delivery
 * would leave the latency panel NaN). Label values are the fixed outcome and retry-class sets.
 */
@Startup
@ApplicationScoped
public class DeliveryMeters {

    /** Every value of {@code outcome} on {@code premium_delivery_jobs_total}. */
    static final List<String> OUTCOMES = List.of(
            "delivered",
            "skipped",
            "refunded",
            "refund_requested",
            "withheld",
            "unknown",
            "retried",
            "deferred",
            "dead",
            "error",
            "unreadable");
    /** The latency outcome the dashboards and the latency alert read; others register on their first job. */
    private static final String DELIVERED = "delivered";

    private final MeterRegistry registry;

    public DeliveryMeters(MeterRegistry registry) {
        this.registry = registry;
        OUTCOMES.forEach(this::jobs);
        for (DeliveryOutcome.RetryClass retryClass : DeliveryOutcome.RetryClass.values()) {
            retries(retryClass.label());
        }
        latency(DELIVERED);
    }

    /** One job settled (or put back) with {@code outcome}. */
    public void settled(String outcome) {
        jobs(outcome).increment();
    }

    /** One job put back for a later try, by why. */
    public void retried(String retryClass) {
        retries(retryClass).increment();
    }

    /** Enqueue → settled, over every attempt: what a customer waits. Record it inside the job's span, for exemplars. */
    public void latency(DeliveryJob job, String outcome) {
        latency(outcome).record(Duration.between(job.enqueuedAt(), Instant.now()));
    }

    private Counter jobs(String outcome) {
        return Counter.builder("premium.delivery.jobs")
                .description("Delivery jobs settled, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter retries(String retryClass) {
        return Counter.builder("premium.delivery.retries")
                .description("Delivery jobs put back for a later try, by class")
                .tag("class", retryClass)
                .register(registry);
    }

    private Timer latency(String outcome) {
        return Timer.builder("premium.delivery.job.latency")
                .description("From the job's first enqueue to its settling, by final outcome")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }
}
