package io.premiumbot.worker.refunds;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The state of Stars refunds in PostgreSQL, every change a conditional update of a PENDING row: claim (a lease,
 * so replicas take different rows and a crashed worker's rows come back), done, refused, or try again later.
 */
@ApplicationScoped
class StarRefundLedger {

    private static final Logger LOG = Logger.getLogger(StarRefundLedger.class);

    private static final String CLAIM = """
            update star_refunds set next_attempt_at = now() + make_interval(secs => ?1), updated_at = now()
            where id in (select r.id from star_refunds r where r.status = 'PENDING' and r.next_attempt_at <= now()
                           and (r.reason <> 'UNDELIVERABLE' or r.order_id is null
                                or exists (select 1 from orders o where o.id = r.order_id and o.status = 'FAILED'))
                         order by r.next_attempt_at limit ?2 for update of r skip locked)
            returning id, charge_id, user_id, order_id, stars, attempts, reason""";

    /**
     * The last look before refundStarPayment goes out: the refund still PENDING and, for an undeliverable order, the
     * order still FAILED (PostgreSQL keeps it there while the refund is PENDING: migration V14).
     */
    private static final String STILL_DUE = """
            select count(*) from star_refunds r left join orders o on o.id = r.order_id
            where r.id = ?1 and r.status = 'PENDING'
              and (r.reason <> 'UNDELIVERABLE' or r.order_id is null or o.status = 'FAILED')""";

    /**
     * Refunds that must never go out: their order was delivered after all (written before migration V14, when a
     * retry could overtake a pending refund). Returns those that had been tried: an earlier try may have got through.
     */
    private static final String WITHDRAW_DELIVERED = """
            update star_refunds r set status = 'WITHDRAWN', outcome = 'order_delivered', updated_at = now()
            from orders o
            where o.id = r.order_id and r.status = 'PENDING' and r.reason = 'UNDELIVERABLE' and o.status = 'DELIVERED'
            returning r.order_id, r.attempts""";

    private static final String REFUNDED = """
            update star_refunds set status = 'REFUNDED', outcome = ?2, attempts = attempts + 1, last_error = null,
                refunded_at = now(), updated_at = now()
            where id = ?1 and status = 'PENDING'""";

    private static final String REFUSED = """
            update star_refunds set status = 'REFUSED', outcome = 'refused', attempts = attempts + 1, last_error = ?2,
                updated_at = now()
            where id = ?1 and status = 'PENDING'""";

    private static final String LATER = """
            update star_refunds set attempts = attempts + 1, last_error = ?2,
                next_attempt_at = now() + make_interval(secs => ?3), updated_at = now()
            where id = ?1 and status = 'PENDING'""";

    private final OrderTransitions transitions;

    StarRefundLedger(OrderTransitions transitions) {
        this.transitions = transitions;
    }

    Uni<List<StarRefund>> claimDue(int limit, Duration lease) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(CLAIM, Object[].class)
                                .setParameter(1, seconds(lease))
                                .setParameter(2, limit)
                                .getResultList()))
                .map(rows -> rows.stream()
                        .map(row -> new StarRefund(
                                ((Number) row[0]).longValue(),
                                (String) row[1],
                                ((Number) row[2]).longValue(),
                                (String) row[3],
                                ((Number) row[4]).intValue(),
                                ((Number) row[5]).intValue(),
                                "UNDELIVERABLE".equals(row[6])))
                        .toList());
    }

    /** Whether the refund may go out now (see {@link #STILL_DUE}); a read right before the call. */
    Uni<Boolean> stillDue(StarRefund refund) {
        return Panache.withSession(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(STILL_DUE, Long.class)
                        .setParameter(1, refund.id())
                        .getSingleResult())
                .map(count -> count > 0));
    }

    /** Withdraws the PENDING refunds of delivered orders; the order ids and how often each had been tried. */
    Uni<List<Object[]>> withdrawDelivered() {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(WITHDRAW_DELIVERED, Object[].class)
                        .getResultList()));
    }

    /**
     * Telegram confirmed the Stars are back: the refund is REFUNDED and its order (FAILED, held there while the refund
     * was PENDING) REFUNDED, in one transaction. {@code false} when the row was no longer PENDING (another worker
     * recorded it first).
     */
    Uni<Boolean> refunded(StarRefund refund, String outcome) {
        return Panache.withTransaction(() -> update(REFUNDED, refund.id(), outcome, null)
                .flatMap(moved -> !moved || !refund.undeliverable()
                        ? Uni.createFrom().item(moved)
                        : transitions
                                .move(refund.orderId(), OrderStatus.FAILED, OrderStatus.REFUNDED)
                                .invoke(orderMoved -> {
                                    if (!orderMoved) {
                                        // the Stars are back all the same: recorded, and the operator told
                                        LOG.errorf(
                                                "event=star_refund_order_not_failed refund=%d orderId=%s",
                                                refund.id(), refund.orderId());
                                    }
                                })
                                .replaceWith(true)));
    }

    Uni<Boolean> refused(StarRefund refund, String description) {
        return Panache.withTransaction(() -> update(REFUSED, refund.id(), truncate(description), null));
    }

    Uni<Boolean> later(StarRefund refund, String error, Duration after) {
        return Panache.withTransaction(() -> update(LATER, refund.id(), truncate(error), after));
    }

    private static Uni<Boolean> update(String statement, long id, String text, Duration after) {
        return Panache.getSession()
                .flatMap(session -> {
                    var query = session.createNativeQuery(statement)
                            .setParameter(1, id)
                            .setParameter(2, text);
                    if (after != null) {
                        query.setParameter(3, seconds(after));
                    }
                    return query.executeUpdate();
                })
                .map(count -> count == 1);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 512 ? text : text.substring(0, 512);
    }
}
