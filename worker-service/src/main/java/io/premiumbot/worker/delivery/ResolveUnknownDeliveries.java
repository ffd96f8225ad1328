package io.premiumbot.worker.delivery;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.premiumbot.worker.delivery.DeliveryAttempts.Latest;
import io.premiumbot.worker.delivery.GiftSettlement.Verdict;
import io.premiumbot.worker.queue.JobQueue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles DELIVERY_UNKNOWN orders (Telegram could not tell when first asked) against the bot's own Star transactions,
 * asked again each run: a gift proven to be the order's last attempt's → DELIVERED; provably none for it (Telegram
 * caught up, the lag passed, nothing left to claim) → the gift never happened → PAID again and enqueued. Anything
 * else waits for the next run or the operator. No new attempt can start while the order is DELIVERY_UNKNOWN, so its
 * status is the fence; the attempt is decided in the same transaction.
 */
@ApplicationScoped
public class ResolveUnknownDeliveries {

    private static final Logger LOG = Logger.getLogger(ResolveUnknownDeliveries.class);

    private static final String UNKNOWN_ORDERS = "select " + DeliveryAttempts.COLUMNS + """

            from orders o join lateral (
                select * from delivery_attempts d where d.order_id = o.id order by d.attempt desc limit 1) a on true
            where o.status = 'DELIVERY_UNKNOWN'
            order by o.updated_at limit ?1""";

    private final GiftSettlement settlement;
    private final DeliveryAttempts attempts;
    private final JobQueue queue;
    private final int batch;

    public ResolveUnknownDeliveries(
            GiftSettlement settlement, DeliveryAttempts attempts, JobQueue queue, ReconcileConfig config) {
        this.settlement = settlement;
        this.attempts = attempts;
        this.queue = queue;
        this.batch = config.batchSize();
    }

    @Scheduled(
            identity = "resolve-unknown-deliveries",
            every = "${worker.schedule.unknown-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return resolve().replaceWithVoid();
    }

    /** The number of orders settled (delivered or sent again). */
    public Uni<Integer> resolve() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(UNKNOWN_ORDERS, Object[].class)
                                .setParameter(1, batch)
                                .getResultList()))
                .map(rows -> rows.stream()
                        .map(DeliveryAttempts::toLatest)
                        .filter(attempt -> !now.isBefore(settlement.safeAt(attempt)))
                        .toList())
                .flatMap(due -> settlement.decideAll(due, this::decide));
    }

    private Uni<Boolean> decide(Latest attempt, Verdict verdict) {
        String orderId = attempt.orderId();
        if (verdict != Verdict.FOUND && verdict != Verdict.ABSENT) {
            LOG.debugf("event=unknown_delivery_unresolved orderId=%s verdict=%s", orderId, verdict);
            return Uni.createFrom().item(false);
        }
        return settlement.resettle(orderId, attempt, verdict).flatMap(moved -> {
            if (!moved) {
                return Uni.createFrom().item(false);
            }
            if (verdict == Verdict.FOUND) {
                LOG.infof("event=unknown_delivery_resolved orderId=%s outcome=delivered", orderId);
                return Uni.createFrom().item(true);
            }
            LOG.warnf("event=unknown_delivery_resolved orderId=%s outcome=not_made_sending_again", orderId);
            // enqueue only after the move to PAID committed, as api-service does
            return Panache.withSession(() -> attempts.counted(orderId))
                    .flatMap(spent -> queue.enqueueAttempt(orderId, spent + 1))
                    .replaceWith(true);
        });
    }
}
