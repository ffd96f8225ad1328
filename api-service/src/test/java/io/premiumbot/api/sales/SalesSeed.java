package io.premiumbot.api.sales;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ThreadLocalRandom;

import io.premiumbot.api.Fixtures;
import io.premiumbot.model.order.OrderIds;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Orders, confirmations and referral credits written straight into PostgreSQL at chosen times, for exact sums. */
final class SalesSeed {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Pool pool;
    final long buyer;

    SalesSeed(Pool pool) {
        this.pool = pool;
        this.buyer = customer("buyer", "Sally");
    }

    long customer(String username, String name) {
        long id = Fixtures.newUserId();
        run(
                "insert into users (telegram_id, username, first_name) values ($1, $2, $3)",
                Tuple.of(id, username + id % 100000, name));
        return id;
    }

    long promoCode() {
        String code = "SALES" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        return pool.preparedQuery("""
                        insert into promo_codes (code, percent_off, months, created_by)
                        values ($1, 10, '{3,6,12}', 'test') returning id""")
                .execute(Tuple.of(code))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong("id");
    }

    /** An order of {@code months} paid in USDT at {@code paidAt}, with {@code status}; its id. */
    String usdt(int months, long priceMicros, String status, Instant paidAt, Instant deliveredAt) {
        return order(months, priceMicros, "WALLET", status, paidAt, deliveredAt, null, 0, 0, null);
    }

    /** An order of {@code months} paid in Stars at {@code paidAt}; the customer paid the gift's Stars less {@code discountStars}. */
    String stars(int months, String status, Instant paidAt, Instant deliveredAt, Long promo, int discountStars) {
        return order(months, 1_000_000, "STARS", status, paidAt, deliveredAt, promo, 0, discountStars, null);
    }

    String order(
            int months,
            long priceMicros,
            String payMethod,
            String status,
            Instant paidAt,
            Instant deliveredAt,
            Long promo,
            long discountMicros,
            int discountStars,
            Long confirmation) {
        String id = OrderIds.next();
        Instant created = paidAt != null ? paidAt.minusSeconds(60) : Instant.now();
        run(
                """
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status,
                                    created_at, updated_at, paid_at, delivered_at, promo_code_id, discount_micros,
                                    discount_stars, confirmation_id)
                values ($1, $2, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14)""",
                Tuple.tuple()
                        .addString(id)
                        .addLong(buyer)
                        .addInteger(months)
                        .addInteger(stars(months))
                        .addLong(priceMicros)
                        .addString(payMethod)
                        .addString(status)
                        .addOffsetDateTime(at(created))
                        .addOffsetDateTime(at(paidAt))
                        .addOffsetDateTime(at(deliveredAt))
                        .addLong(promo)
                        .addLong(discountMicros)
                        .addInteger(discountStars)
                        .addLong(confirmation));
        return id;
    }

    long confirmation(int months, Instant shownAt) {
        return pool.preparedQuery("""
                        insert into purchase_confirmations (buyer_id, recipient_id, months, price_micros, created_at, expires_at)
                        values ($1, $1, $2, 13990000, $3, $3 + interval '30 minutes') returning id""")
                .execute(Tuple.of(buyer, months, at(shownAt)))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong("id");
    }

    /** A referral reward credited to a new referrer at {@code at}, as the worker books it (balance and entry together). */
    void referralCredit(long micros, Instant at) {
        long referrer = customer("referrer", "Rita");
        run("""
                with moved as (update users set balance_micros = balance_micros + $2 where telegram_id = $1
                               returning balance_micros)
                insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference,
                                            idempotency_key, created_at)
                select $1, $2, balance_micros, 'REFERRAL', 'order:TEST', 'referral-test:' || $1, $3 from moved""", Tuple.of(referrer, micros, at(at)));
    }

    static int stars(int months) {
        return switch (months) {
            case 3 -> 1000;
            case 6 -> 1500;
            default -> 2500;
        };
    }

    private void run(String sql, Tuple arguments) {
        pool.preparedQuery(sql).execute(arguments).await().atMost(WAIT);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
