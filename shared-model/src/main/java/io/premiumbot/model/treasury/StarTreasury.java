package io.premiumbot.model.treasury;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bot's Stars as PostgreSQL keeps them (migration V20): the balance the worker last read and what it must still
 * pay for, as PostgreSQL counts it ({@code star_treasury_reserved}, migration V25). In the caller's session.
 */
@ApplicationScoped
public class StarTreasury {

    /**
     * Stores a balance read ($1 Stars, asked at $2, before Telegram was asked): a read asked earlier than the one
     * stored never overwrites it (two replicas, or a slow answer); V25's trigger marks what had been spent by then.
     * The worker's reads and api-service's read after a top-up both store it this way.
     */
    public static final String RECORD_READ = """
            update star_treasury set balance = $1, balance_at = $2, updated_at = now()
            where id = 1 and (balance_at is null or balance_at <= $2)""";

    private static final String NUMBERS = """
            select t.balance, t.balance_at, t.sold_out_since, r.paid, r.unpaid, r.spent_since,
                   (select coalesce(sum(star_count), 0) from orders
                     where status = 'DELIVERED' and updated_at > now() - interval '24 hours'
                       and delivered_at > now() - interval '24 hours') as spent_24h
            from star_treasury t, star_treasury_reserved() r where t.id = 1""";

    public Uni<StarTreasuryNumbers> numbers() {
        return Panache.getSession()
                .flatMap(session ->
                        session.createNativeQuery(NUMBERS, Object[].class).getSingleResult())
                .map(row -> new StarTreasuryNumbers(
                        row[0] == null ? null : ((Number) row[0]).longValue(),
                        instant(row[1]),
                        instant(row[2]),
                        ((Number) row[3]).longValue(),
                        ((Number) row[4]).longValue(),
                        ((Number) row[5]).longValue(),
                        ((Number) row[6]).longValue()));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Instant time) {
            return time;
        }
        throw new IllegalStateException(
                "a timestamptz read as " + value.getClass().getName());
    }
}
