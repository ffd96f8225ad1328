package io.premiumbot.model.queue;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One delivery job on the Redis queue. The order id is the identity (PostgreSQL holds the truth);
 * {@code traceparent} carries the W3C trace context so one trace runs from webhook to gift.
 *
 * <p>This record is also the one home of the job's wire format, written by api-service, read and re-written by the
 * worker, read by the operator's dead-letter view and by Lua scripts (field {@value #ORDER_ID}):
 * {@code {"orderId":"A1B2","attempt":1,"enqueuedAt":"2026-12-01T10:15:30Z","traceparent":"00-…"}}.
 */
public record DeliveryJob(String orderId, int attempt, Instant enqueuedAt, String traceparent) {

    /** The JSON field that names the order; Lua scripts that select jobs by order read it. */
    public static final String ORDER_ID = "orderId";

    private static final String ATTEMPT = "attempt";
    private static final String ENQUEUED_AT = "enqueuedAt";
    private static final String TRACEPARENT = "traceparent";

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

    /** The job as it travels on the queue. */
    public String toJson() {
        JsonObject json =
                new JsonObject().put(ORDER_ID, orderId).put(ATTEMPT, attempt).put(ENQUEUED_AT, enqueuedAt.toString());
        if (traceparent != null) {
            json.put(TRACEPARENT, traceparent);
        }
        return json.encode();
    }

    /**
     * Reads a job from the queue.
     *
     * @throws MalformedJobException when the payload is not a job this format describes; it names what is wrong,
     *                               never echoes the payload
     */
    public static DeliveryJob parse(String raw) {
        JsonObject json;
        try {
            json = new JsonObject(Objects.requireNonNull(raw, "raw"));
        } catch (DecodeException e) {
            throw new MalformedJobException("not a JSON object", e);
        }
        try {
            Object orderId = json.getValue(ORDER_ID);
            Object attempt = json.getValue(ATTEMPT);
            Object enqueuedAt = json.getValue(ENQUEUED_AT);
            Object traceparent = json.getValue(TRACEPARENT);
            if (!(orderId instanceof String id)
                    || !(attempt instanceof Integer n)
                    || !(enqueuedAt instanceof String at)
                    || !(traceparent == null || traceparent instanceof String)) {
                throw new MalformedJobException(
                        "fields orderId, attempt, enqueuedAt missing or of the wrong type", null);
            }
            return new DeliveryJob(id, n, Instant.parse(at), (String) traceparent);
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new MalformedJobException(e.getClass().getSimpleName() + " reading the job's fields", e);
        }
    }

    /** The job, or empty when the payload is not one (a caller that shows or skips unreadable jobs). */
    public static Optional<DeliveryJob> tryParse(String raw) {
        try {
            return Optional.of(parse(raw));
        } catch (MalformedJobException e) {
            return Optional.empty();
        }
    }

    /** A queue payload that is not a delivery job. */
    public static final class MalformedJobException extends RuntimeException {
        MalformedJobException(String reason, Throwable cause) {
            super("malformed delivery job: " + reason, cause);
        }
    }
}
