package io.premiumbot.model.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery job on the Redis queue. The order id is the identity (PostgreSQL holds the truth);
 * {@code traceparent} carries the W3C trace context so one trace runs from webhook to gift.
 */
public record DeliveryJob(String orderId, int attempt, Instant enqueuedAt, String traceparent) {

    public DeliveryJob {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
    }

    public static DeliveryJob first(String orderId, Instant now, String traceparent) {
        return new DeliveryJob(orderId, 1, now, traceparent);
    }

    public DeliveryJob nextAttempt() {
        return new DeliveryJob(orderId, attempt + 1, enqueuedAt, traceparent);
    }
}
