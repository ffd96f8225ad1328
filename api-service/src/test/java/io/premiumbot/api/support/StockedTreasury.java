package io.premiumbot.api.support;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * The api-service tests run without a worker to read the bot's Stars: this stocks the treasury with plenty at start,
 * as a worker would have, and lets a test leave an exact number of Stars available.
 */
@ApplicationScoped
public class StockedTreasury {

    /** More Stars than any test run reserves. */
    public static final long PLENTY = 1_000_000_000_000L;

    private static final Duration WAIT = Duration.ofSeconds(5);

    void stock(@Observes Startup start, Pool pool) {
        plenty(pool);
    }

    public static void plenty(Pool pool) {
        pool.preparedQuery("update star_treasury set balance = $1, balance_at = now(), sold_out_since = null")
                .execute(Tuple.of(PLENTY))
                .await()
                .atMost(WAIT);
    }

    /** A balance read now that leaves exactly {@code stars} to sell beyond what is reserved (no safety margin in tests). */
    public static void leave(Pool pool, long stars) {
        pool.preparedQuery("""
                        update star_treasury t set balance_at = now(), balance = r.paid + r.unpaid + $1
                               + (select coalesce(sum(stars), 0) from star_refunds where status = 'PENDING')
                        from star_treasury_reserved() r where t.id = 1""").execute(Tuple.of(stars)).await().atMost(WAIT);
    }

    /** Stars reserved now, as the purchase gate counts them. */
    public static long reserved(Pool pool) {
        return pool.query("""
                        select r.paid + r.unpaid + r.spent_since from star_treasury_reserved() r""").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }
}
