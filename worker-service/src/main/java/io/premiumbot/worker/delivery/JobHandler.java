package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.worker.queue.Backoff;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.RetryConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns one claimed job into a delivery and settles it on the queue: acknowledged when the order reached
 * a resting state, delayed for a retry, or moved to the dead list when it can't be read or ran out of
 * attempts (the order then FAILED, so nothing but an operator brings it back). An unexpected failure is logged with the order id and takes the retry path; it is never dropped.
 */
@ApplicationScoped
public class JobHandler {

    private static final Logger LOG = Logger.getLogger(JobHandler.class);
    private static final Duration SETTLE_RETRY_BACKOFF = Duration.ofMillis(200);
    private static final int SETTLE_RETRIES = 5;

    private static final TextMapGetter<DeliveryJob> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(DeliveryJob job) {
            return List.of("traceparent");
        }

        @Override
        public String get(DeliveryJob job, String key) {
            return job != null && "traceparent".equals(key) ? job.traceparent() : null;
        }
    };

    private final DeliveryService delivery;
    private final JobQueue queue;
    private final Backoff backoff;
    private final Tracer tracer;
    private final DeliveryMeters meters;
    private final int maxAttempts;
    private final OrderTransitions transitions;

    public JobHandler(
            DeliveryService delivery,
            JobQueue queue,
            Backoff backoff,
            Tracer tracer,
            DeliveryMeters meters,
            RetryConfig config,
            OrderTransitions transitions) {
        this.transitions = transitions;
        this.delivery = delivery;
        this.queue = queue;
        this.backoff = backoff;
        this.tracer = tracer;
        this.meters = meters;
        this.maxAttempts = config.maxAttempts();
    }

    /** Handles the job {@code raw} held in {@code workerId}'s processing list; completes once it is settled there. */
    public Uni<Void> handle(String workerId, String raw) {
        return handle(workerId, raw, () -> queue.acknowledge(workerId, raw));
    }

    /**
     * The same, acknowledging through {@code acknowledge} (the claim loop's, which claims the next job in the same
     * Redis call).
     */
    public Uni<Void> handle(String workerId, String raw, Supplier<Uni<Void>> acknowledge) {
        DeliveryJob job;
        try {
            job = DeliveryJob.parse(raw);
        } catch (DeliveryJob.MalformedJobException e) {
            LOG.errorf("event=job_unreadable worker=%s error=%s", workerId, e.getMessage());
            count("unreadable");
            return queue.bury(workerId, raw, raw).replaceWithVoid();
        }
        Span span = tracer.spanBuilder("delivery.job")
                .setParent(W3CTraceContextPropagator.getInstance().extract(Context.current(), job, TRACEPARENT))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("order.id", job.orderId())
                .setAttribute("delivery.attempt", job.attempt())
                .startSpan();
        Scope scope = span.makeCurrent();
        return delivery.deliver(job, workerId, raw)
                .onItemOrFailure()
                .transformToUni((outcome, failure) -> (failure == null
                                ? settle(workerId, raw, job, outcome, acknowledge)
                                : failed(workerId, raw, job, failure))
                        // every settling step is idempotent (LREM-guarded), so a Redis blip is simply retried
                        .onFailure()
                        .retry()
                        .withBackOff(SETTLE_RETRY_BACKOFF)
                        .atMost(SETTLE_RETRIES))
                .onTermination()
                .invoke((ignored, failure, cancelled) -> {
                    if (failure != null) {
                        span.recordException(failure);
                        span.setStatus(StatusCode.ERROR);
                    }
                    scope.close();
                    span.end();
                });
    }

    private Uni<Void> settle(
            String workerId, String raw, DeliveryJob job, DeliveryOutcome outcome, Supplier<Uni<Void>> acknowledge) {
        if (outcome instanceof DeliveryOutcome.RetryLater retry) {
            if (retry.countsAsAttempt() && job.attempt() >= maxAttempts) {
                return giveUp(workerId, raw, job, retry.reason());
            }
            count(outcome.label());
            countRetry(retry.retryClass().label());
            DeliveryJob next = retry.countsAsAttempt() ? job.nextAttempt() : job;
            return delay(workerId, raw, next, retry.after());
        }
        recordLatency(job, outcome.label());
        count(outcome.label());
        if (outcome instanceof DeliveryOutcome.Withheld withheld && withheld.requeue()) {
            // the order is PAID again; a fresh job makes sure it doesn't wait for the reconciler
            return acknowledge.get().chain(() -> queue.enqueueAttempt(job.orderId(), job.attempt()));
        }
        return acknowledge.get();
    }

    private Uni<Void> failed(String workerId, String raw, DeliveryJob job, Throwable failure) {
        LOG.errorf(failure, "event=delivery_failed orderId=%s attempt=%d", job.orderId(), job.attempt());
        if (job.attempt() >= maxAttempts) {
            return giveUp(workerId, raw, job, failure.toString());
        }
        count("error");
        countRetry(DeliveryOutcome.RetryClass.ERROR.label());
        return delay(workerId, raw, job.nextAttempt(), backoff.afterAttempt(job.attempt()));
    }

    private Uni<Void> delay(String workerId, String raw, DeliveryJob next, Duration after) {
        return queue.retryLater(workerId, raw, next.toJson(), Instant.now().plus(after))
                .invoke(held -> {
                    if (!held) {
                        LOG.warnf("event=job_no_longer_held orderId=%s worker=%s", next.orderId(), workerId);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Attempts spent: the order (PAID again after a provably failed try) ends FAILED with the reason, where the operator
     * sees it and nothing re-enqueues it, and the job goes to the dead list. Retry or requeue is the operator's call.
     */
    private Uni<Void> giveUp(String workerId, String raw, DeliveryJob job, String reason) {
        String why = "delivery gave up after " + job.attempt() + " attempts: " + reason;
        return Panache.withTransaction(() -> transitions.move(job.orderId(), OrderStatus.PAID, OrderStatus.FAILED, why))
                .invoke(failed -> {
                    if (!failed) {
                        LOG.warnf("event=gave_up_order_not_paid orderId=%s", job.orderId());
                    }
                })
                .chain(() -> bury(workerId, raw, job, reason));
    }

    private Uni<Void> bury(String workerId, String raw, DeliveryJob job, String reason) {
        LOG.errorf("event=job_dead orderId=%s attempt=%d reason=%s", job.orderId(), job.attempt(), reason);
        count("dead");
        recordLatency(job, "dead");
        return queue.bury(workerId, raw, raw).replaceWithVoid();
    }

    /** Enqueue → settled, over every attempt: what a customer waits. Recorded here, inside the job's span, for exemplars. */
    private void recordLatency(DeliveryJob job, String outcome) {
        meters.latency(job, outcome);
    }

    private void countRetry(String retryClass) {
        meters.retried(retryClass);
    }

    private void count(String outcome) {
        meters.settled(outcome);
    }
}
