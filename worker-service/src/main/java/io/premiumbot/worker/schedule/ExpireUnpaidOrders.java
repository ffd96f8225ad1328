package io.premiumbot.worker.schedule;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * PENDING_PAYMENT → EXPIRED once an order's time is up, and its open payment request with it (SPEC §4, §5).
 * Both are conditional updates, so replicas running the same tick, or a payment landing at the same moment,
 * can't both win; a payment that arrives after expiry still lands in the payer's wallet (api-service).
 */
@ApplicationScoped
public class ExpireUnpaidOrders {

    private static final Logger LOG = Logger.getLogger(ExpireUnpaidOrders.class);

    private static final String EXPIRE_ORDERS = """
            update orders set status = 'EXPIRED', updated_at = now()
            where status = 'PENDING_PAYMENT' and expires_at < now()""";

    private static final String EXPIRE_REQUESTS = """
            update payment_requests set status = 'EXPIRED'
            where status = 'OPEN'
              and (expires_at < now() or order_id in (select id from orders where status = 'EXPIRED'))""";

    @Scheduled(identity = "expire-unpaid-orders", every = "${worker.schedule.expire-every}", concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return expire().replaceWithVoid();
    }

    /** The number of orders expired. */
    public Uni<Integer> expire() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(EXPIRE_ORDERS).executeUpdate()
                .flatMap(orders -> session.createNativeQuery(EXPIRE_REQUESTS).executeUpdate()
                        .invoke(requests -> {
                            if (orders > 0 || requests > 0) {
                                LOG.infof("event=orders_expired orders=%d payment_requests=%d", orders, requests);
                            }
                        })
                        .replaceWith(orders))));
    }
}
