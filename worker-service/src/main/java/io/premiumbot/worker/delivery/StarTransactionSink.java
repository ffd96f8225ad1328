package io.premiumbot.worker.delivery;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;

/**
 * Keeps every transaction of a page of getStarTransactions (the treasury's import), in the transaction that moves the
 * cursor past the page: the page is kept exactly when the cursor passes it, whichever replica read it.
 */
public interface StarTransactionSink {

    /** {@code offset}: the position of the page's first transaction in Telegram's chronological list. */
    Uni<Void> keep(Mutiny.Session session, long offset, JsonArray page);
}
