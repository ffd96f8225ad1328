package io.premiumbot.model.refund;

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

    private static final String REQUEST = """
            insert into star_refunds (charge_id, user_id, order_id, stars, reason)
            values (?1, ?2, ?3, ?4, ?5)
            on conflict (charge_id) do nothing""";

    /** {@code true} when this call made the request, {@code false} when the charge had one already. */
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
}
