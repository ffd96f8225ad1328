package io.premiumbot.api.bot;

import java.time.Duration;
import java.time.Instant;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.config.ConfigMapping;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The confirmations shown before paying, in PostgreSQL: one confirmation buys once, at the price it showed. Paying
 * uses it up with a conditional update; a second tap, even concurrent, waits on the first one's row lock and then
 * finds it used (and the order carries the confirmation's id under a unique index besides). In the update's
 * transaction: a purchase that rolls back (wallet short) leaves the confirmation unused.
 */
@ApplicationScoped
public class Confirmations {

    @ConfigMapping(prefix = "bot.confirmation")
    public interface Settings {
        /** How long a confirmation holds its price. */
        Duration ttl();
    }

    /** What tapping a pay button of a confirmation found. */
    public sealed interface Use {}

    /** This tap may buy, at this price, for this recipient. */
    public record Claimed(Money price, String recipientUsername) implements Use {}

    /** Already used for this order. */
    public record Used(String orderId) implements Use {}

    public record Expired() implements Use {}

    /** Not this buyer's, or not for these months and recipient (stale or forged data). */
    public record Unknown() implements Use {}

    private static final String CREATE = """
            insert into purchase_confirmations (buyer_id, recipient_id, recipient_username, months, price_micros, expires_at)
            values (?1, ?2, ?3, ?4, ?5, ?6) returning id""";

    private static final String USE = """
            update purchase_confirmations set used_at = now()
            where id = ?1 and buyer_id = ?2 and months = ?3 and recipient_id = ?4 and used_at is null and expires_at > now()
            returning price_micros, recipient_username""";

    private static final String WHY_NOT = """
            select c.used_at is not null, (select o.id from orders o where o.confirmation_id = c.id)
            from purchase_confirmations c
            where c.id = ?1 and c.buyer_id = ?2 and c.months = ?3 and c.recipient_id = ?4""";

    private static final String ATTACH = "update orders set confirmation_id = ?1 where id = ?2";

    private final Duration ttl;

    public Confirmations(Settings settings) {
        this.ttl = settings.ttl();
    }

    Uni<Long> create(long buyerId, long recipientId, String recipientUsername, Months months, Money price) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CREATE, Long.class)
                        .setParameter(1, buyerId)
                        .setParameter(2, recipientId)
                        .setParameter(3, recipientUsername)
                        .setParameter(4, months.count())
                        .setParameter(5, price.micros())
                        .setParameter(6, Instant.now().plus(ttl))
                        .getSingleResult());
    }

    Uni<Use> use(long confirmationId, long buyerId, Months months, long recipientId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(USE, Object[].class)
                        .setParameter(1, confirmationId)
                        .setParameter(2, buyerId)
                        .setParameter(3, months.count())
                        .setParameter(4, recipientId)
                        .getSingleResultOrNull()
                        .flatMap(row -> row != null
                                ? Uni.createFrom().item((Use)
                                        new Claimed(Money.ofMicros(((Number) row[0]).longValue()), (String) row[1]))
                                : session.createNativeQuery(WHY_NOT, Object[].class)
                                        .setParameter(1, confirmationId)
                                        .setParameter(2, buyerId)
                                        .setParameter(3, months.count())
                                        .setParameter(4, recipientId)
                                        .getSingleResultOrNull()
                                        .map(Confirmations::whyNot)));
    }

    private static Use whyNot(Object[] row) {
        if (row == null) {
            return new Unknown();
        }
        if (Boolean.TRUE.equals(row[0])) {
            return new Used((String) row[1]);
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
