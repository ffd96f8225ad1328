package io.premiumbot.worker.schedule;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.worker.payments.PaymentConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * PENDING_PAYMENT → EXPIRED once an order's time and the confirmation grace after it are up, and its open payment
 * request with it. Both are conditional updates, so replicas running the same tick, or a payment landing at the same
 * moment, can't both win. A transfer whose block time was before the expiry but which TronGrid shows only later
 * still pays the order (EXPIRED → PAID, in the worker's IncomingTransfers); one made after the expiry lands in the
 * payer's wallet and the customer is told.
 */
@ApplicationScoped
public class ExpireUnpaidOrders {

    private static final Logger LOG = Logger.getLogger(ExpireUnpaidOrders.class);

    private static final String EXPIRE_REQUESTS = """
            update payment_requests set status = 'EXPIRED'
            where status = 'OPEN'
              and (expires_at < ?1 or order_id in (select id from orders where status = 'EXPIRED'))""";

    private final PaymentConfig config;
    private final OrderTransitions transitions;

    public ExpireUnpaidOrders(PaymentConfig config, OrderTransitions transitions) {
        this.config = config;
        this.transitions = transitions;
    }

    @Scheduled(
            identity = "expire-unpaid-orders",
            every = "${worker.schedule.expire-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return expire().replaceWithVoid();
    }

    /** The number of orders expired. */
    public Uni<Integer> expire() {
        Instant dueBefore = Instant.now().minus(config.confirmationGrace());
        return Panache.withTransaction(() -> transitions
                .expireUnpaid(dueBefore)
                .flatMap(orders -> closeRequests(dueBefore)
                        .invoke(requests -> {
                            if (orders > 0 || requests > 0) {
                                LOG.infof("event=orders_expired orders=%d payment_requests=%d", orders, requests);
                            }
                        })
                        .replaceWith(orders)));
    }

    /** The open payment requests of expired orders, and those past their own time, no longer take a payment. */
    private Uni<Integer> closeRequests(Instant dueBefore) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(EXPIRE_REQUESTS)
                        .setParameter(1, dueBefore)
                        .executeUpdate());
    }
}
