package io.premiumbot.api.queue;

import java.time.Instant;
import java.util.List;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.model.refund.StarRefundRequests;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/** The operator's view of the dead-letter list, and the way back from it. */
@ApplicationScoped
public class DeadLetters {

    /** One atomic step (both keys share the {premium} hash tag): remove the dead jobs of an order, push one fresh job. */
    private static final String REQUEUE = """
            local dead = redis.call('LRANGE', KEYS[1], 0, -1)
            local moved = 0
            for _, raw in ipairs(dead) do
              local ok, job = pcall(cjson.decode, raw)
              if ok and type(job) == 'table' and job[ARGV[3]] == ARGV[1] then
                moved = moved + redis.call('LREM', KEYS[1], 1, raw)
              end
            end
            if moved > 0 then
              redis.call('LPUSH', KEYS[2], ARGV[2])
            end
            return moved""";

    /** A dead job as stored; {@code job} is null when the payload could not be read. */
    public record DeadJob(DeliveryJob job, String raw) {}

    private final ReactiveRedisDataSource redis;
    private final AuditLog audit;
    private final OrderTransitions transitions;
    private final StarRefundRequests starRefunds;

    public DeadLetters(
            ReactiveRedisDataSource redis,
            AuditLog audit,
            OrderTransitions transitions,
            StarRefundRequests starRefunds) {
        this.redis = redis;
        this.audit = audit;
        this.transitions = transitions;
        this.starRefunds = starRefunds;
    }

    /**
     * The operator's requeue: an order that FAILED because its attempts ran out is PAID again and audited (committed
     * first, so the worker never finds it still FAILED), then its dead jobs become one fresh job; 0 when none was dead.
     * Refused ({@link ConflictException}) while the order's Stars refund is under way: it ends refunded, not delivered.
     */
    public Uni<Integer> requeue(String orderId, Operator operator) {
        return holds(orderId)
                .flatMap(held -> !held
                        ? Uni.createFrom().item(0)
                        : Panache.withTransaction(() -> starRefunds
                                        .underwayLockingOrder(orderId)
                                        .invoke(underway -> underway.ifPresent(refund -> {
                                            throw new ConflictException("cannot requeue: " + refund.why());
                                        }))
                                        .chain(() -> transitions.move(orderId, OrderStatus.FAILED, OrderStatus.PAID))
                                        .call(reopened -> audit.record(
                                                "job.requeue", "order:" + orderId, operator, "reopened=" + reopened)))
                                .chain(() -> requeue(orderId)));
    }

    public Uni<List<DeadJob>> list(int limit) {
        return redis.list(String.class, String.class)
                .lrange(QueueKeys.DEAD, 0, limit - 1)
                .map(raws -> raws.stream().map(this::read).toList());
    }

    /** Whether the dead list holds a job of this order. */
    public Uni<Boolean> holds(String orderId) {
        return redis.list(String.class, String.class)
                .lrange(QueueKeys.DEAD, 0, -1)
                .map(raws -> raws.stream()
                        .anyMatch(raw -> DeliveryJob.tryParse(raw)
                                .filter(job -> job.orderId().equals(orderId))
                                .isPresent()));
    }

    /** How many dead jobs of this order were replaced by one fresh job on the ready list (0: none were dead). */
    public Uni<Integer> requeue(String orderId) {
        String fresh = DeliveryJob.first(orderId, Instant.now(), DeliveryQueue.traceparent())
                .toJson();
        return redis.execute(
                        "EVAL", REQUEUE, "2", QueueKeys.DEAD, QueueKeys.READY, orderId, fresh, DeliveryJob.ORDER_ID)
                .map(Response::toInteger);
    }

    private DeadJob read(String raw) {
        return new DeadJob(DeliveryJob.tryParse(raw).orElse(null), raw);
    }
}
