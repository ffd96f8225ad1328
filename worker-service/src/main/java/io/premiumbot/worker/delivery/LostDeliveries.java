package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.worker.delivery.DeliveryAttempts.Latest;
import io.premiumbot.worker.delivery.GiftSettlement.Verdict;
import io.premiumbot.worker.queue.JobQueue;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * DELIVERING orders nobody is working on any more: the worker died mid-delivery (its heartbeat expired), got stuck
 * (attempt open past the backstop), or the job that was to check an ambiguous answer was lost with Redis. An attempt
 * that never went out (no sent_at) goes straight back to PAID; any other is settled from the Star transactions once
 * the safe delay has passed: DELIVERED, sent again once, or DELIVERY_UNKNOWN only when Telegram can't tell.
 */
@ApplicationScoped
public class LostDeliveries {

    private static final Logger LOG = Logger.getLogger(LostDeliveries.class);

    private static final String CANDIDATES = "select " + DeliveryAttempts.COLUMNS + """

            from orders o join lateral (
                select * from delivery_attempts d where d.order_id = o.id order by d.attempt desc limit 1) a on true
            where o.status = 'DELIVERING' and a.settlement is null
              and (a.finished_at is null or (a.outcome in ('SERVER_ERROR', 'UNKNOWN') and a.finished_at < ?1))
            order by o.updated_at limit ?2""";

    private final DeliveryAttempts attempts;
    private final GiftSettlement settlement;
    private final JobQueue queue;
    private final Duration stuckAfter;
    private final Duration checkJobLostAfter;
    private final int batch;

    public LostDeliveries(
            DeliveryAttempts attempts, GiftSettlement settlement, JobQueue queue, ReconcileConfig config) {
        this.attempts = attempts;
        this.settlement = settlement;
        this.queue = queue;
        this.stuckAfter = config.deliveringStalledAfter();
        // the checking job is due at finished + visible-after; past that by the PAID threshold, it was lost
        this.checkJobLostAfter = config.giftVisibleAfter().plus(config.paidStalledAfter());
        this.batch = config.batchSize();
    }

    /** Settles what it can now; the number of orders that left DELIVERING. */
    public Uni<Integer> settle() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(CANDIDATES, Object[].class)
                                .setParameter(1, now.minus(checkJobLostAfter))
                                .setParameter(2, batch)
                                .getResultList()))
                .map(rows -> rows.stream().map(DeliveryAttempts::toLatest).toList())
                .flatMap(candidates -> liveWorkers(candidates).flatMap(alive -> {
                    List<Latest> unsent = new ArrayList<>();
                    List<Latest> toCheck = new ArrayList<>();
                    for (Latest attempt : candidates) {
                        boolean open = attempt.finishedAt() == null;
                        if (open
                                && alive.contains(attempt.workerId())
                                && attempt.startedAt().isAfter(now.minus(stuckAfter))) {
                            continue; // its worker lives and is within its call: not lost
                        }
                        if (open && attempt.sentAt() == null) {
                            unsent.add(attempt);
                        } else if (!now.isBefore(settlement.safeAt(attempt))) {
                            toCheck.add(attempt);
                        }
                    }
                    return sendAgainUnsent(unsent)
                            .flatMap(back ->
                                    settlement.decideAll(toCheck, this::decide).map(checked -> back + checked));
                }))
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("event=lost_deliveries_settled count=%d", count);
                    }
                });
    }

    private Uni<Set<String>> liveWorkers(List<Latest> candidates) {
        Set<String> workers = candidates.stream()
                .filter(a -> a.finishedAt() == null)
                .map(Latest::workerId)
                .collect(Collectors.toSet());
        return Multi.createFrom()
                .iterable(workers)
                .onItem()
                .transformToUniAndConcatenate(worker -> queue.isAlive(worker).map(alive -> alive ? worker : ""))
                .filter(worker -> !worker.isEmpty())
                .collect()
                .asSet();
    }

    private Uni<Integer> sendAgainUnsent(List<Latest> unsent) {
        return Multi.createFrom()
                .iterable(unsent)
                .onItem()
                .transformToUniAndConcatenate(attempt -> settlement
                        .settleUnsent(attempt.orderId(), attempt)
                        .flatMap(moved -> moved
                                ? requeue(attempt.orderId()).replaceWith(true)
                                : Uni.createFrom().item(false)))
                .collect()
                .asList()
                .map(moved -> (int) moved.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> decide(Latest attempt, Verdict verdict) {
        return settlement
                .settle(
                        attempt.orderId(),
                        attempt,
                        verdict,
                        OrderStatus.PAID,
                        "the worker was lost and Telegram's Star transactions show no gift; sending again")
                // enqueued only after the move to PAID committed
                .flatMap(moved -> moved && verdict == Verdict.ABSENT
                        ? requeue(attempt.orderId()).replaceWith(true)
                        : Uni.createFrom().item(moved));
    }

    /** A fresh job that carries the attempts already spent, so the limit still holds. */
    private Uni<Void> requeue(String orderId) {
        return Panache.withSession(() -> attempts.counted(orderId))
                .flatMap(spent -> queue.enqueueAttempt(orderId, spent + 1));
    }
}
