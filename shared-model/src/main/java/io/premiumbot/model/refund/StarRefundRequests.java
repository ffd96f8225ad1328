package io.premiumbot.model.refund;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks for a Stars charge to be refunded: one PENDING row in {@code star_refunds} per charge (a unique
 * constraint), which the worker carries out, retries and verifies. Runs in the caller's transaction, so the
 * request commits together with whatever made it necessary.
 */
@ApplicationScoped
public class StarRefundRequests {

    /** Why the Stars go back. */
    public enum Reason {
        /** The order was paid and can't be delivered. */
        UNDELIVERABLE,
        /** Stars arrived for an order that could not take them (expired, unknown, someone else's). */
        NOT_PAYABLE
    }

    /**
     * A refund Telegram refused is asked for again when the order fails again (after an operator's retry): an order
     * ends delivered or refunded, and the refusal may have passed (e.g. the bot's Stars were short).
     */
    private static final String REQUEST = """
            insert into star_refunds (charge_id, user_id, order_id, stars, reason)
            values (?1, ?2, ?3, ?4, ?5)
            on conflict (charge_id) do update
                set status = 'PENDING', outcome = null, next_attempt_at = now(), updated_at = now()
                where star_refunds.status = 'REFUSED'""";

    private static final String LOCK_ORDER = "select status from orders where id = ?1 for update";

    private static final String UNDERWAY = """
            select status, attempts, floor(extract(epoch from created_at) * 1000)::bigint, last_error from star_refunds
            where order_id = ?1 and reason = 'UNDELIVERABLE' and status in ('PENDING', 'REFUNDED')""";

    /**
     * An undeliverable order's Stars refund that is PENDING (the worker is on it; a try may already have reached
     * Telegram) or REFUNDED: the order ends REFUNDED, it is never delivered again.
     */
    public record Underway(String orderId, String status, int attempts, Instant requestedAt, String lastError) {

        /** Why the order can't be retried or requeued, for the operator. */
        public String why() {
            if ("REFUNDED".equals(status)) {
                return "order " + orderId + "'s Stars were refunded: it is never delivered as well";
            }
            return "order " + orderId + " has a Stars refund under way (requested " + requestedAt + ", " + attempts
                    + (attempts == 1 ? " try" : " tries") + (lastError == null ? "" : ", last error: " + lastError)
                    + "): a refund that may already have reached Telegram can't be called back, so the order ends"
                    + " REFUNDED, not delivered";
        }
    }

    /** {@code true} when this call made (or re-opened) the request, {@code false} when the charge had one already. */
    public Uni<Boolean> request(String chargeId, long userId, String orderId, long stars, Reason reason) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(REQUEST)
                        .setParameter(1, chargeId)
                        .setParameter(2, userId)
                        .setParameter(3, orderId)
                        .setParameter(4, Math.toIntExact(stars))
                        .setParameter(5, reason.name())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** The order's refund under way, if any; a read, in the caller's session. */
    public Uni<Optional<Underway>> underway(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(UNDERWAY, Object[].class)
                        .setParameter(1, orderId)
                        .getResultList())
                .map(rows -> rows.stream()
                        .findFirst()
                        .map(row -> new Underway(
                                orderId,
                                (String) row[0],
                                ((Number) row[1]).intValue(),
                                Instant.ofEpochMilli(((Number) row[2]).longValue()),
                                (String) row[3])));
    }

    /**
     * The same, with the order's row locked until the caller's transaction ends: no refund can be requested for it
     * meanwhile (PostgreSQL's guard takes the same lock), so "none under way" stays true for the caller's move.
     */
    public Uni<Optional<Underway>> underwayLockingOrder(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(LOCK_ORDER)
                        .setParameter(1, orderId)
                        .getResultList())
                .chain(() -> underway(orderId));
    }
}
