package io.premiumbot.worker.schedule;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.worker.delivery.LostDeliveries;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerConfig;
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

    /** Claims the stalled orders by touching them: replicas running the same tick never enqueue one twice. */
    private static final String CLAIM_STALLED_PAID = """
            update orders set updated_at = now()
            where id in (select id from orders where status = 'PAID' and updated_at < ?1
                         order by updated_at limit ?2 for update skip locked)
              and status = 'PAID'
            returning id""";

    private final JobQueue queue;
    private final WorkerIdentity identity;
    private final WorkerConfig.Reconcile config;
    private final StarsBalance stars;
    private final LostDeliveries lostDeliveries;

    public ReconcileStalledOrders(JobQueue queue, WorkerIdentity identity, WorkerConfig config, StarsBalance stars,
            LostDeliveries lostDeliveries) {
        this.stars = stars;
        this.lostDeliveries = lostDeliveries;
        this.queue = queue;
        this.identity = identity;
        this.config = config.reconcile();
    }

    @Scheduled(identity = "reconcile-stalled-orders", every = "${worker.schedule.reconcile-every}", concurrentExecution = ConcurrentExecution.SKIP)
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
            return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                            .createNativeQuery(CLAIM_STALLED_PAID, String.class)
                            .setParameter(1, cutoff)
                            .setParameter(2, config.batchSize())
                            .getResultList()))
                    .flatMap(this::enqueue);
        });
    }

    private Uni<Integer> enqueue(List<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(orderIds)
                .onItem().transformToUniAndConcatenate(queue::enqueueFirst)
                .collect().last()
                .map(ignored -> orderIds.size())
                .invoke(count -> LOG.infof("event=stalled_orders_requeued count=%d", count));
    }

}
