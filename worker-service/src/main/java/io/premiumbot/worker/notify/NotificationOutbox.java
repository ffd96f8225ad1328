package io.premiumbot.worker.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.premiumbot.worker.notify.CustomerNotifications.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code customer_notifications} table. A sender leases what it takes (so replicas never take the same row
 * while the lease runs, and a sender that died gives its rows back when the lease lapses) and finishes a row as
 * soon as Telegram answered; every update is conditional on the row still being unfinished.
 */
@ApplicationScoped
public class NotificationOutbox {

    /** The due rows of the {@code $1} buyers waiting longest, leased for {@code $2} ms. */
    private static final String LEASE = """
            with buyers as (
                select chat_id from customer_notifications
                where finished_at is null and next_at <= now() and (lease_until is null or lease_until < now())
                group by chat_id order by min(id) limit $1),
            due as (
                select n.id from customer_notifications n join buyers b on b.chat_id = n.chat_id
                where n.finished_at is null and n.next_at <= now() and (n.lease_until is null or n.lease_until < now())
                for update of n skip locked)
            update customer_notifications n set lease_until = now() + $2::bigint * interval '1 millisecond'
            from due where n.id = due.id
            returning n.id, n.chat_id, n.text, n.attempts""";

    private static final String FINISH = """
            update customer_notifications set finished_at = now(), outcome = $2, lease_until = null
            where id = any($1) and finished_at is null""";

    private static final String POSTPONE = """
            update customer_notifications set lease_until = null, attempts = attempts + $3::integer,
                next_at = now() + $2::bigint * interval '1 millisecond'
            where id = any($1) and finished_at is null""";

    private static final String PENDING = "select count(*) from customer_notifications where finished_at is null";

    private static final String PAID_EVENT =
            "select buyer_id, recipient_id, months, price_micros from orders where id = $1";

    private static final String BLOCKED = "update users set bot_blocked_at = now() where telegram_id = $1";

    private static final String LANGUAGE = "select language_code from users where telegram_id = $1";

    /** One leased row. */
    public record Pending(long id, long chatId, String text, int attempts) {}

    /** How a finished notification ended. */
    public enum Outcome {
        SENT,
        BLOCKED,
        REJECTED,
        UNKNOWN,
        GAVE_UP
    }

    private final Pool db;

    public NotificationOutbox(Pool db) {
        this.db = db;
    }

    /** Leases the due notifications of up to {@code buyers} buyers, oldest first. */
    public Uni<List<Pending>> lease(int buyers, Duration lease) {
        return db.preparedQuery(LEASE)
                .execute(Tuple.of((long) buyers, lease.toMillis()))
                .map(NotificationOutbox::pending);
    }

    public Uni<Integer> finish(List<Long> ids, Outcome outcome) {
        return db.preparedQuery(FINISH)
                .execute(Tuple.of(ids.toArray(Long[]::new), outcome.name()))
                .map(RowSet::rowCount);
    }

    /** Gives the rows back, due again after {@code after}; {@code countsAsAttempt} when Telegram failed them. */
    public Uni<Integer> postpone(List<Long> ids, Duration after, boolean countsAsAttempt) {
        return db.preparedQuery(POSTPONE)
                .execute(Tuple.of(ids.toArray(Long[]::new), after.toMillis(), countsAsAttempt ? 1 : 0))
                .map(RowSet::rowCount);
    }

    /** Telegram said 403: the customer blocked the bot; broadcasts skip them until they write to the bot again. */
    public Uni<Void> markBlocked(long chatId) {
        return db.preparedQuery(BLOCKED).execute(Tuple.of(chatId)).replaceWithVoid();
    }

    /** Notifications not yet finished. */
    public Uni<Long> pending() {
        return db.query(PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** The "paid" event of an order; null when there is no such order. */
    Uni<Event> paidEvent(String orderId) {
        return db.preparedQuery(PAID_EVENT).execute(Tuple.of(orderId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return Event.paid(
                    orderId,
                    row.getLong("buyer_id"),
                    row.getLong("recipient_id"),
                    row.getInteger("months"),
                    row.getLong("price_micros"));
        });
    }

    /** The buyer's language code; null for an unknown buyer or none recorded. */
    Uni<String> languageOf(long telegramId) {
        return db.preparedQuery(LANGUAGE)
                .execute(Tuple.of(telegramId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    private static List<Pending> pending(RowSet<Row> rows) {
        List<Pending> leased = new ArrayList<>(rows.size());
        for (Row row : rows) {
            leased.add(new Pending(
                    row.getLong("id"), row.getLong("chat_id"), row.getString("text"), row.getInteger("attempts")));
        }
        leased.sort((a, b) -> Long.compare(a.id(), b.id()));
        return leased;
    }
}
