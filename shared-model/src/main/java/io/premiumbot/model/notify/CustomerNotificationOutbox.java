package io.premiumbot.model.notify;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one writer of the customer-notification outbox ({@code customer_notifications}), used by both services: a row
 * per message to a customer, in their language, sent once by the worker's notification sender from the Telegram
 * budget gifts leave. {@code dedupKey} names the event (e.g. {@code delivered:<order>}), so a replayed event is told
 * once: a second write with the same key is a no-op.
 */
@ApplicationScoped
public class CustomerNotificationOutbox {

    // one statement, in the two placeholder styles of the two ways to run it
    private static final String ADD_IN_SESSION = """
            insert into customer_notifications (dedup_key, chat_id, kind, text) values (?1, ?2, ?3, ?4)
            on conflict (dedup_key) do nothing""";
    private static final String ADD = """
            insert into customer_notifications (dedup_key, chat_id, kind, text) values ($1, $2, $3, $4)
            on conflict (dedup_key) do nothing""";

    private final Pool db;

    public CustomerNotificationOutbox(Pool db) {
        this.db = db;
    }

    /**
     * Writes the notification in the caller's Hibernate session or transaction, so a notice written with a money move
     * (a credit) exists exactly when the move does. True when this call wrote it.
     */
    public Uni<Boolean> addInSession(String dedupKey, long chatId, String kind, String text) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(ADD_IN_SESSION)
                        .setParameter(1, dedupKey)
                        .setParameter(2, chatId)
                        .setParameter(3, kind)
                        .setParameter(4, text)
                        .executeUpdate())
                .map(written -> written == 1);
    }

    /** Writes the notification on its own, after the outcome it tells of committed. True when this call wrote it. */
    public Uni<Boolean> add(String dedupKey, long chatId, String kind, String text) {
        return db.preparedQuery(ADD)
                .execute(Tuple.of(dedupKey, chatId, kind, text))
                .map(rows -> rows.rowCount() == 1);
    }
}
