package io.premiumbot.api.support;

import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A transaction on one pooled connection of the SQL client, opened by the caller's plain {@code BEGIN} so that it
 * pipelines with the first statements (the short purchase paths: {@code orders/WalletPurchase},
 * {@code bot/QuickConfirmations}). The connection goes back to the pool only after the caller's {@code COMMIT} or
 * {@code ROLLBACK}, or this one's when the work failed.
 */
public final class SqlTransaction {

    private static final Logger LOG = Logger.getLogger(SqlTransaction.class);

    private SqlTransaction() {}

    public static <T> Uni<T> on(Pool pool, Function<SqlConnection, Uni<T>> work) {
        // the pool closes the connection when the work ends, also when our caller went away meanwhile (the work runs
        // on to its COMMIT or ROLLBACK: never a connection left open in a transaction)
        return pool.withConnection(
                connection -> work.apply(connection).onFailure().call(() -> rollback(connection)));
    }

    /** Ends the transaction unwritten; a failure to (the connection is closed after it anyway) is logged, not raised. */
    public static Uni<Void> rollback(SqlConnection connection) {
        return connection
                .query("rollback")
                .execute()
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "event=sql_rollback_failed cause=%s", failure.getClass().getSimpleName()))
                .onFailure()
                .recoverWithNull();
    }

    /** A Telegram-supplied text cut to its column's width. */
    public static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
