package io.premiumbot.model.order;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moves an order from an expected status to the next, as one conditional UPDATE: when two workers or a
 * replayed job race, exactly one sees {@code true}. Runs in the caller's session or transaction.
 */
@ApplicationScoped
public class OrderTransitions {

    private static final String CLAIM_STALLED = """
            update orders set updated_at = now()
            where id in (select id from orders where status = ?1 and updated_at < ?2
                           and (gift_not_before is null or gift_not_before <= now())
                         order by updated_at limit ?3 for update skip locked)
              and status = ?1
            returning id""";

    private static final String CLAIM_FOR_GIFT = """
            update orders set status = 'DELIVERING', updated_at = now()
            where id = ?1 and status = 'PAID' and (gift_not_before is null or gift_not_before <= now())""";

    private static final String HOLD_GIFT = """
            update orders set gift_not_before = greatest(coalesce(gift_not_before, now()), now() + make_interval(secs => ?2))
            where id = ?1""";

    public Uni<Boolean> move(String orderId, OrderStatus from, OrderStatus to) {
        return move(orderId, from, to, null);
    }

    public Uni<Boolean> move(String orderId, OrderStatus from, OrderStatus to, String failureReason) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("no transition " + from + " → " + to);
        }
        StringBuilder hql = new StringBuilder("update Order o set o.status = :to, o.updatedAt = :now");
        if (to == OrderStatus.PAID && (from == OrderStatus.PENDING_PAYMENT || from == OrderStatus.EXPIRED)) {
            hql.append(", o.paidAt = :now");
        }
        if (to == OrderStatus.DELIVERED) {
            hql.append(", o.deliveredAt = :now");
        }
        if (failureReason != null) {
            hql.append(", o.failureReason = :reason");
        }
        hql.append(" where o.id = :id and o.status = :from");
        Instant now = Instant.now();
        return Panache.getSession()
                .flatMap(session -> {
                    var query = session.createMutationQuery(hql.toString())
                            .setParameter("to", to)
                            .setParameter("now", now)
                            .setParameter("id", orderId)
                            .setParameter("from", from);
                    if (failureReason != null) {
                        query.setParameter("reason", truncate(failureReason));
                    }
                    return query.executeUpdate();
                })
                .map(count -> count == 1);
    }

    /**
     * PAID → DELIVERING for a gift call, as one conditional UPDATE that also honours the order's flood wait
     * ({@code gift_not_before}): {@code true} for the one caller that may call Telegram now; {@code false} when the
     * order is not PAID or its wait has not passed.
     */
    public Uni<Boolean> claimForGift(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM_FOR_GIFT)
                        .setParameter(1, orderId)
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /**
     * No gift call for this order before {@code wait} from now (Telegram's {@code retry_after}); a longer wait already
     * recorded stays. In the caller's transaction, with the move that hands the order back to PAID.
     */
    public Uni<Void> holdGift(String orderId, Duration wait) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(HOLD_GIFT)
                        .setParameter(1, orderId)
                        .setParameter(2, wait.toMillis() / 1000.0)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * PENDING_PAYMENT → PAID, recording how it was paid, in one conditional UPDATE: {@code true} for the one caller
     * that won, {@code false} when the order was no longer waiting (expired, or paid another way).
     */
    public Uni<Boolean> pay(String orderId, PayMethod method) {
        return pay(orderId, OrderStatus.PENDING_PAYMENT, method);
    }

    /**
     * EXPIRED → PAID for an on-chain transfer whose block time was before the order's expiry but which was seen only
     * after the expiry job ran; {@code true} for the one caller that won.
     */
    public Uni<Boolean> revive(String orderId, PayMethod method) {
        return pay(orderId, OrderStatus.EXPIRED, method);
    }

    private Uni<Boolean> pay(String orderId, OrderStatus from, PayMethod method) {
        Instant now = Instant.now();
        return Panache.getSession()
                .flatMap(session -> session.createMutationQuery(
                                "update Order o set o.status = :paid, o.payMethod = :method, o.paidAt = :now, o.updatedAt = :now"
                                        + " where o.id = :id and o.status = :pending")
                        .setParameter("paid", OrderStatus.PAID)
                        .setParameter("method", method)
                        .setParameter("now", now)
                        .setParameter("id", orderId)
                        .setParameter("pending", from)
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /**
     * PENDING_PAYMENT → EXPIRED for every order whose time ran out before {@code dueBefore}, as one conditional
     * UPDATE: an order paid at the same moment stays paid. The number of orders expired.
     */
    public Uni<Integer> expireUnpaid(Instant dueBefore) {
        Instant now = Instant.now();
        return Panache.getSession()
                .flatMap(session -> session.createMutationQuery(
                                "update Order o set o.status = :expired, o.updatedAt = :now"
                                        + " where o.status = :pending and o.expiresAt < :due")
                        .setParameter("expired", OrderStatus.EXPIRED)
                        .setParameter("pending", OrderStatus.PENDING_PAYMENT)
                        .setParameter("now", now)
                        .setParameter("due", dueBefore)
                        .executeUpdate());
    }

    /**
     * Claims up to {@code limit} orders that stayed in {@code status} since before {@code untouchedSince} by touching
     * them (status unchanged, {@code updated_at} now), skipping rows another replica holds: replicas running the same
     * tick never claim one order twice; an order inside its flood wait ({@code gift_not_before}) is not stalled, it
     * waits on purpose. The ids claimed.
     */
    public Uni<List<String>> claimStalled(OrderStatus status, Instant untouchedSince, int limit) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                CLAIM_STALLED, session.getResultSetMapping(String.class, Order.ID))
                        .setParameter(1, status.name())
                        .setParameter(2, untouchedSince)
                        .setParameter(3, limit)
                        .getResultList());
    }

    private static String truncate(String reason) {
        return reason.length() <= 512 ? reason : reason.substring(0, 512);
    }
}
