package io.premiumbot.model.notify;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one writer of the customer-notification outbox ({@code customer_notifications}), used by both services: a row
 * per message to a customer, in their language, sent once by the worker's notification sender from the Telegram
 * budget gifts leave. Runs in the caller's session or transaction, so a notice written with a money move (a credit,
 * an order paid) exists exactly when the move does.
 */
@ApplicationScoped
public class CustomerNotificationOutbox {

    private static final String ADD = """
            insert into customer_notifications (dedup_key, chat_id, kind, text) values (?1, ?2, ?3, ?4)
            on conflict (dedup_key) do nothing""";

    /**
     * Writes a notification unless one with the same key exists: {@code dedupKey} names the event (e.g.
     * {@code delivered:<order>}), so a replayed event is told once. True when this call wrote it.
     */
    public Uni<Boolean> add(String dedupKey, long chatId, String kind, String text) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(ADD)
                        .setParameter(1, dedupKey)
                        .setParameter(2, chatId)
                        .setParameter(3, kind)
                        .setParameter(4, text)
                        .executeUpdate())
                .map(written -> written == 1);
    }
}
