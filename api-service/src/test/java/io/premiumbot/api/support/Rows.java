package io.premiumbot.api.support;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** One statement with one parameter on the test's pool: a count read, or a change made the way a tool would. */
public final class Rows {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Rows() {}

    public static long count(Pool pool, String sql, Object parameter) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(parameter))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }

    public static void change(Pool pool, String sql, Object parameter) {
        pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(WAIT);
    }
}
