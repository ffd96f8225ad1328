package io.premiumbot.api.queue;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.list.ReactiveListCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The enqueue side of the delivery queue. Called only after the order committed as PAID: PostgreSQL is the
 * truth, and the worker's reconciler re-enqueues any PAID order whose job never arrived (Redis down, lost).
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    private final ReactiveListCommands<String, String> lists;
    private final Counter enqueued;
    private final Counter enqueueFailed;

    public DeliveryQueue(ReactiveRedisDataSource redis, MeterRegistry registry) {
        this.lists = redis.list(String.class, String.class);
        this.enqueued = Counter.builder("premium_queue_enqueued_jobs")
                .description("Delivery jobs pushed onto the ready list")
                .tag("outcome", "ok")
                .register(registry);
        this.enqueueFailed = Counter.builder("premium_queue_enqueued_jobs")
                .description("Delivery jobs pushed onto the ready list")
                .tag("outcome", "error")
                .register(registry);
    }

    /**
     * Pushes the first delivery job of a paid order. A Redis failure is recorded and absorbed here on purpose:
     * the order is already PAID in PostgreSQL and the reconciler will enqueue it again.
     */
    @WithSpan("DeliveryQueue.enqueuePaid")
    public Uni<Void> enqueuePaid(String orderId) {
        String payload =
                DeliveryJob.first(orderId, Instant.now(), traceparent()).toJson();
        return lists.lpush(QueueKeys.READY, payload)
                .invoke(() -> {
                    enqueued.increment();
                    // one per purchase, right after its order_paid INFO line; counted by the metric above
                    LOG.debugf("event=delivery_enqueued orderId=%s", orderId);
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    enqueueFailed.increment();
                    LOG.errorf(failure, "event=delivery_enqueue_failed orderId=%s recovery=reconciler", orderId);
                    return 0L;
                })
                .replaceWithVoid();
    }

    /** The W3C traceparent of the current span, so the worker continues this trace. */
    static String traceparent() {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex();
    }
}
