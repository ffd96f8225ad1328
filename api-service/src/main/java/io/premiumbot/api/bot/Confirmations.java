package io.premiumbot.api.bot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.premiumbot.api.promo.Quote;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.config.ConfigMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The confirmations shown before paying, in PostgreSQL: one confirmation buys once, at the price it showed. Paying
 * uses it up with a conditional update; a second tap, even concurrent, waits on the first one's row lock and then
 * finds it used (and the order carries the confirmation's id under a unique index besides). In the update's
 * transaction: a purchase that rolls back (wallet short) leaves the confirmation unused. A gift to a typed
 * {@code @username} has its own kind ({@code by_username}), paid only by its Confirm button; Cancel closes any for good.
 */
@ApplicationScoped
public class Confirmations {

    @ConfigMapping(prefix = "bot.confirmation")
    public interface Settings {
        /** How long a confirmation holds its price. */
        Duration ttl();

        /**
         * A gift confirmation tapped later than this asks Telegram again who holds the username: it may have moved to
         * another account since it was shown.
         */
        Duration recheckAfter();
    }

    /** A confirmation as it was shown, read before the update's transaction to decide what to check with Telegram. */
    public record Shown(long recipientId, String recipientUsername, boolean byUsername, Instant createdAt) {}

    /** What tapping a pay button of a confirmation found. */
    public sealed interface Use {}

    /** This tap may buy, at this quote (the price shown), for this recipient. */
    public record Claimed(Quote quote, String recipientUsername) implements Use {}

    /** Already used for this order. */
    public record Used(String orderId) implements Use {}

    public record Expired() implements Use {}

    /** The buyer cancelled it. */
    public record Cancelled() implements Use {}

    /** Not this buyer's, or not for these months and recipient (stale or forged data). */
    public record Unknown() implements Use {}

    /** The buyer's latest confirmation still open and without a code: what {@code /promo} discounts. */
    public record Open(
            long id,
            long recipientId,
            String recipientUsername,
            Months months,
            Money price,
            int starListPrice,
            boolean byUsername) {}

    private static final String CREATE = """
            insert into purchase_confirmations
                (buyer_id, recipient_id, recipient_username, months, price_micros, expires_at, by_username,
                 promo_code_id, discount_micros, star_count, star_list_price)
            values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) returning id""";

    private static final String USE = """
            update purchase_confirmations c set used_at = now()
            where id = ?1 and buyer_id = ?2 and months = ?3 and recipient_id = ?4 and by_username = ?5
              and used_at is null and cancelled_at is null and expires_at > now()
            returning price_micros, recipient_username, promo_code_id, discount_micros, star_count,
                      (select p.code from promo_codes p where p.id = c.promo_code_id), star_list_price""";

    private static final String LATEST_OPEN = """
            select id, recipient_id, recipient_username, months, price_micros, by_username, star_list_price
            from purchase_confirmations
            where buyer_id = ?1 and used_at is null and cancelled_at is null and expires_at > now()
              and promo_code_id is null
            order by id desc limit 1""";

    /** A copy keeps when and how long the original was shown: a gift's Telegram re-check still counts from then. */
    private static final String DISCOUNTED_COPY = """
            insert into purchase_confirmations
                (buyer_id, recipient_id, recipient_username, months, price_micros, expires_at, by_username, created_at,
                 promo_code_id, discount_micros, star_count, star_list_price)
            select buyer_id, recipient_id, recipient_username, months, ?2, expires_at, by_username, created_at, ?3, ?4, ?5,
                   star_list_price
            from purchase_confirmations where id = ?1
            returning id""";

    private static final String WHY_NOT = """
            select c.used_at is not null, (select o.id from orders o where o.confirmation_id = c.id),
                   c.cancelled_at is not null
            from purchase_confirmations c
            where c.id = ?1 and c.buyer_id = ?2 and c.months = ?3 and c.recipient_id = ?4 and c.by_username = ?5""";

    private static final String SHOWN = """
            select recipient_id, recipient_username, by_username, created_at from purchase_confirmations where id = $1""";

    private static final String CANCEL = """
            update purchase_confirmations set cancelled_at = now()
            where id = ?1 and buyer_id = ?2 and used_at is null and cancelled_at is null""";

    private static final String WHY_NOT_CANCELLED = """
            select c.used_at is not null, (select o.id from orders o where o.confirmation_id = c.id),
                   c.cancelled_at is not null
            from purchase_confirmations c where c.id = ?1 and c.buyer_id = ?2""";

    private static final String ATTACH = "update orders set confirmation_id = ?1 where id = ?2";

    private final Duration ttl;
    private final Duration recheckAfter;

    private final Pool pool;

    public Confirmations(Settings settings, Pool pool) {
        this.pool = pool;
        this.ttl = settings.ttl();
        this.recheckAfter = settings.recheckAfter();
    }

    Duration recheckAfter() {
        return recheckAfter;
    }

    /** How long a confirmation stands once shown. */
    Duration ttl() {
        return ttl;
    }

    Uni<Long> create(long buyerId, long recipientId, String recipientUsername, Quote quote, boolean byUsername) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CREATE, Long.class)
                        .setParameter(1, buyerId)
                        .setParameter(2, recipientId)
                        .setParameter(3, recipientUsername)
                        .setParameter(4, quote.months().count())
                        .setParameter(5, quote.price().micros())
                        .setParameter(6, Instant.now().plus(ttl))
                        .setParameter(7, byUsername)
                        .setParameter(8, quote.promoCodeId())
                        .setParameter(9, quote.discount().micros())
                        .setParameter(10, quote.stars())
                        .setParameter(11, quote.starListPrice())
                        .getSingleResult());
    }

    /** In the update's transaction; null when the buyer has no open confirmation without a code. */
    Uni<Open> latestOpen(long buyerId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(LATEST_OPEN, Object[].class)
                        .setParameter(1, buyerId)
                        .getSingleResultOrNull())
                .map(row -> row == null
                        ? null
                        : new Open(
                                ((Number) row[0]).longValue(),
                                ((Number) row[1]).longValue(),
                                (String) row[2],
                                Months.ofCount(((Number) row[3]).intValue()),
                                Money.ofMicros(((Number) row[4]).longValue()),
                                starListPrice(Months.ofCount(((Number) row[3]).intValue()), row[6]),
                                Boolean.TRUE.equals(row[5])));
    }

    /**
     * Replaces an open confirmation by one at the discounted quote: the original is cancelled (so none of its buttons
     * buys at the price it showed any more), the copy keeps its recipient and times. Null when the original was used or
     * cancelled meanwhile.
     */
    Uni<Long> discount(long confirmationId, long buyerId, Quote quote) {
        return cancel(confirmationId, buyerId)
                .flatMap(refused -> refused.isPresent()
                        ? Uni.createFrom().nullItem()
                        : Panache.getSession()
                                .flatMap(session -> session.createNativeQuery(DISCOUNTED_COPY, Long.class)
                                        .setParameter(1, confirmationId)
                                        .setParameter(2, quote.price().micros())
                                        .setParameter(3, quote.promoCodeId())
                                        .setParameter(4, quote.discount().micros())
                                        .setParameter(5, quote.stars())
                                        .getSingleResult()));
    }

    /** Outside any transaction, on the SQL client; null when there is no such confirmation. */
    Uni<Shown> shown(long confirmationId) {
        return pool.preparedQuery(SHOWN).execute(Tuple.of(confirmationId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Shown(
                    row.getLong("recipient_id"),
                    row.getString("recipient_username"),
                    row.getBoolean("by_username"),
                    row.getOffsetDateTime("created_at").toInstant());
        });
    }

    /**
     * Uses the confirmation up for this tap. {@code byUsername}: the tap is a gift confirmation's Confirm button, and
     * only a gift confirmation answers it (and it answers no other button).
     */
    Uni<Use> use(long confirmationId, long buyerId, Months months, long recipientId, boolean byUsername) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(USE, Object[].class)
                        .setParameter(1, confirmationId)
                        .setParameter(2, buyerId)
                        .setParameter(3, months.count())
                        .setParameter(4, recipientId)
                        .setParameter(5, byUsername)
                        .getSingleResultOrNull()
                        .flatMap(row -> row != null
                                ? Uni.createFrom().item((Use) new Claimed(quote(months, row), (String) row[1]))
                                : session.createNativeQuery(WHY_NOT, Object[].class)
                                        .setParameter(1, confirmationId)
                                        .setParameter(2, buyerId)
                                        .setParameter(3, months.count())
                                        .setParameter(4, recipientId)
                                        .setParameter(5, byUsername)
                                        .getSingleResultOrNull()
                                        .map(Confirmations::whyNot)));
    }

    /** The buyer's Cancel: closes an unused confirmation for good. Empty when it was closed; else why it wasn't. */
    Uni<Optional<Use>> cancel(long confirmationId, long buyerId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CANCEL)
                        .setParameter(1, confirmationId)
                        .setParameter(2, buyerId)
                        .executeUpdate()
                        .flatMap(cancelled -> cancelled == 1
                                ? Uni.createFrom().item(Optional.<Use>empty())
                                : session.createNativeQuery(WHY_NOT_CANCELLED, Object[].class)
                                        .setParameter(1, confirmationId)
                                        .setParameter(2, buyerId)
                                        .getSingleResultOrNull()
                                        .map(row -> Optional.of(whyNot(row)))));
    }

    /**
     * The quote a confirmation showed: its prices (in Stars too, whatever the plan's Stars price is now), and its code's
     * discount when it had one.
     */
    private static Quote quote(Months months, Object[] row) {
        Money price = Money.ofMicros(((Number) row[0]).longValue());
        int starList = starListPrice(months, row[6]);
        int stars = row[4] == null ? starList : ((Number) row[4]).intValue();
        if (row[2] == null) {
            return Quote.list(months, price, starList);
        }
        Money discount = Money.ofMicros(((Number) row[3]).longValue());
        return new Quote(
                months, price.plus(discount), price, starList, stars, ((Number) row[2]).longValue(), (String) row[5]);
    }

    /** Confirmations shown before the operator set Stars prices showed Telegram's gift cost. */
    private static int starListPrice(Months months, Object stored) {
        return stored == null ? months.stars() : ((Number) stored).intValue();
    }

    private static Use whyNot(Object[] row) {
        if (row == null) {
            return new Unknown();
        }
        if (Boolean.TRUE.equals(row[0])) {
            return new Used((String) row[1]);
        }
        if (Boolean.TRUE.equals(row[2])) {
            return new Cancelled();
        }
        return new Expired();
    }

    /** The order this confirmation bought; the unique index refuses a second one. */
    Uni<Void> attach(long confirmationId, String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(ATTACH)
                        .setParameter(1, confirmationId)
                        .setParameter(2, orderId)
                        .executeUpdate())
                .replaceWithVoid();
    }
}
