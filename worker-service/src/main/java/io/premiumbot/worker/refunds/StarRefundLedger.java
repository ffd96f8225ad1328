package io.premiumbot.worker.refunds;

import java.time.Duration;
import java.util.List;

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

    private static final String CLAIM = """
            update star_refunds set next_attempt_at = now() + make_interval(secs => ?1), updated_at = now()
            where id in (select id from star_refunds where status = 'PENDING' and next_attempt_at <= now()
                         order by next_attempt_at limit ?2 for update skip locked)
            returning id, charge_id, user_id, order_id, stars, attempts, reason""";

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

    /**
     * Telegram confirmed the Stars are back: the refund is REFUNDED and its order (when it is FAILED) REFUNDED, in one
     * transaction. {@code false} when the row was no longer PENDING (another worker recorded it first).
     */
    Uni<Boolean> refunded(StarRefund refund, String outcome) {
        return Panache.withTransaction(() -> update(REFUNDED, refund.id(), outcome, null)
                .flatMap(moved -> !moved || !refund.undeliverable()
                        ? Uni.createFrom().item(moved)
                        : transitions
                                .move(refund.orderId(), OrderStatus.FAILED, OrderStatus.REFUNDED)
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
