package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness: the consumer loop ticked recently (it ticks at least once per claim timeout) or is waiting for a
 * busy slot to free. No I/O here; PostgreSQL and Redis have their own checks from the extensions.
 */
@Readiness
@ApplicationScoped
public class ConsumerLoopHealthCheck implements HealthCheck {

    private final JobConsumer consumer;

    public ConsumerLoopHealthCheck(JobConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("delivery-consumer-loop");
        if (!consumer.isEnabled()) {
            return response.up().withData("consumer", "disabled").build();
        }
        Duration sinceTick = Duration.between(consumer.lastTick(), Instant.now());
        return response.status(sinceTick.compareTo(consumer.tickBudget()) <= 0 || consumer.isWaitingForSlot())
                .withData("secondsSinceLastTick", sinceTick.toSeconds())
                .withData("inFlight", consumer.inFlight())
                .build();
    }
}
