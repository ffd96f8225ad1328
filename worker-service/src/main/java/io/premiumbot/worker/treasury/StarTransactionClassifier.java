package io.premiumbot.worker.treasury;

import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Explains imported Star transactions by the exact record of ours that names them — never by a likeness: a payment by
 * its charge id, payer and amount (a recorded Stars payment, or a paid top-up); Stars going back out by the refund we
 * asked for with that charge id, payer and amount; a Premium gift by the delivery attempt it is proven to be
 * ({@code star_gifts.attempt_id}, decided by the settlement's rule) with the recipient and gift cost of its order.
 * What stays unexplained is looked at again on every run: a payment's webhook, a refund's record or a gift's proof may
 * come after Telegram listed it. Each statement is a conditional update from an unexplained class, so replicas
 * classifying at once explain each row once; PostgreSQL keeps one row of ours per transaction.
 */
@ApplicationScoped
public class StarTransactionClassifier {

    private static final String PAYMENTS = """
            update star_transactions t set class = 'CUSTOMER_PAYMENT', payment_id = p.id, classified_at = now(),
                order_id = coalesce((select o.id from orders o where o.star_charge_id = p.external_id),
                                    (select r.order_id from star_refunds r where r.charge_id = p.external_id))
            from payments p
            where t.class = 'UNMATCHED_PAYMENT' and t.direction = 'IN' and t.nanostars = 0
              and p.provider = 'STARS' and p.external_id = t.transaction_id
              and p.user_id = t.partner_user_id and p.amount_micros = t.stars * 1000000""";

    private static final String TOP_UPS = """
            update star_transactions t set class = 'TOP_UP', top_up_id = u.id, classified_at = now()
            from star_top_ups u
            where t.class = 'UNMATCHED_PAYMENT' and t.direction = 'IN' and t.nanostars = 0
              and u.status = 'PAID' and u.charge_id = t.transaction_id
              and u.telegram_id = t.partner_user_id and u.stars = t.stars""";

    private static final String REFUNDS = """
            update star_transactions t set class = 'REFUND', refund_id = r.id, order_id = r.order_id, classified_at = now()
            from star_refunds r
            where t.class = 'CHARGEBACK' and t.direction = 'OUT' and t.nanostars = 0
              and r.charge_id = t.transaction_id and r.user_id = t.partner_user_id and r.stars = t.stars
              and r.status in ('PENDING', 'REFUNDED')""";

    private static final String GIFTS = """
            update star_transactions t set class = 'GIFT', attempt_id = g.attempt_id, order_id = o.id, classified_at = now()
            from star_gifts g join delivery_attempts a on a.id = g.attempt_id join orders o on o.id = a.order_id
            where t.class = 'UNMATCHED_GIFT' and t.direction = 'OUT' and t.nanostars = 0
              and g.transaction_id = t.transaction_id and g.user_id = t.partner_user_id
              and o.recipient_id = t.partner_user_id and o.star_count = t.stars""";

    private static final List<String> MATCHES = List.of(PAYMENTS, TOP_UPS, REFUNDS, GIFTS);

    /** Explains what can be explained now, in one transaction; how many transactions were explained. */
    public Uni<Integer> classify() {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
            Uni<Integer> total = Uni.createFrom().item(0);
            for (String match : MATCHES) {
                total = total.flatMap(
                        sum -> session.createNativeQuery(match).executeUpdate().map(explained -> sum + explained));
            }
            return total;
        }));
    }
}
