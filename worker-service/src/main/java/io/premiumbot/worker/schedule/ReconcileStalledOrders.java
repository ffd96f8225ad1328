package io.premiumbot.worker.schedule;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.worker.delivery.LostDeliveries;
import io.premiumbot.worker.delivery.ReconcileConfig;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.premiumbot.worker.telegram.StarsBalance;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * PostgreSQL is the truth, Redis the transport: a PAID order that hasn't moved for a while has lost its job (Redis
 * flushed, enqueue failed after commit), so it is enqueued again; a replay of a job still alive is a no-op (the claim
 * is conditional). A DELIVERING order whose worker is gone is settled by {@link LostDeliveries} from the Star
 * transactions, never tried again blindly.
 */
@ApplicationScoped
public class ReconcileStalledOrders {

    private static final Logger LOG = Logger.getLogger(ReconcileStalledOrders.class);

    private final JobQueue queue;
    private final WorkerIdentity identity;
    private final ReconcileConfig config;
    private final StarsBalance stars;
    private final LostDeliveries lostDeliveries;
    private final OrderTransitions transitions;

    public ReconcileStalledOrders(
            JobQueue queue,
            WorkerIdentity identity,
            ReconcileConfig config,
            StarsBalance stars,
            LostDeliveries lostDeliveries,
            OrderTransitions transitions) {
        this.transitions = transitions;
        this.stars = stars;
        this.lostDeliveries = lostDeliveries;
        this.queue = queue;
        this.identity = identity;
        this.config = config;
    }

    @Scheduled(
            identity = "reconcile-stalled-orders",
            every = "${worker.schedule.reconcile-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return settleLostDeliveries().chain(this::requeueStalledPaid).replaceWithVoid();
    }

    /** DELIVERING orders whose worker is gone, settled from the Star transactions; the number that left DELIVERING. */
    public Uni<Integer> settleLostDeliveries() {
        return lostDeliveries.settle();
    }

    /**
     * Enqueues PAID orders untouched past the threshold; the number enqueued. Skipped while ready holds more
     * than a batch (a backlog explains the wait, and duplicates would only slow it down) and while the bot's
     * Stars can't pay for a gift (the orders wait on purpose; their held-back jobs are still around).
     */
    public Uni<Integer> requeueStalledPaid() {
        Instant cutoff = Instant.now().minus(config.paidStalledAfter());
        return queue.depth(identity.id()).flatMap(depth -> {
            if (depth.ready() > config.batchSize() || !stars.canCoverAGift()) {
                return Uni.createFrom().item(0);
            }
            // claimed by touching them: replicas running the same tick never enqueue one twice
            return Panache.withTransaction(() -> transitions.claimStalled(OrderStatus.PAID, cutoff, config.batchSize()))
                    .flatMap(this::enqueue);
        });
    }

    private Uni<Integer> enqueue(List<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom()
                .iterable(orderIds)
                .onItem()
                .transformToUniAndConcatenate(queue::enqueueFirst)
                .collect()
                .last()
                .map(ignored -> orderIds.size())
                .invoke(count -> LOG.infof("event=stalled_orders_requeued count=%d", count));
    }
}
