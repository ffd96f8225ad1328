package io.premiumbot.worker.broadcast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code broadcast_messages} outbox. A sender claims PENDING rows with {@code skip locked} (another replica skips
 * them; the claim lapses with its lease), stamps one SENDING right before its request goes out (conditional on the row
 * still being PENDING and its own), and settles it from Telegram's answer (conditional on SENDING). A trigger keeps a
 * settled row settled, so a late or repeated settle changes nothing.
 */
@ApplicationScoped
public class BroadcastOutbox {

    private static final String CLAIM = """
            with due as (
                select m.id from broadcast_messages m join broadcasts b on b.id = m.broadcast_id
                where b.status = 'SENDING' and m.state = 'PENDING' and (m.lease_until is null or m.lease_until < now())
                order by m.broadcast_id, m.id limit $1
                for update of m skip locked)
            update broadcast_messages m set claimed_by = $2, lease_until = now() + $3::bigint * interval '1 millisecond'
            from due, broadcasts b
            where m.id = due.id and b.id = m.broadcast_id
            returning m.id, m.broadcast_id, m.chat_id, coalesce(b.texts ->> m.language, b.texts ->> 'en') as text""";

    /** Customers who blocked the bot or opted out since the broadcast started are not sent it. */
    private static final String SKIP = """
            update broadcast_messages m set state = 'SKIPPED', settled_at = now(), lease_until = null
            from users u
            where m.id = any($1) and m.state = 'PENDING' and u.telegram_id = m.chat_id
              and (u.bot_blocked_at is not null or u.announcements_off_at is not null)
            returning m.id""";

    private static final String STAMP = """
            update broadcast_messages m set state = 'SENDING', sending_at = now(), lease_until = null
            from broadcasts b
            where m.id = $1 and m.state = 'PENDING' and m.claimed_by = $2 and b.id = m.broadcast_id
              and b.status = 'SENDING'""";

    private static final String SETTLE = """
            update broadcast_messages set state = $2, settled_at = now()
            where id = $1 and state = 'SENDING'""";

    /** The request was never written: the row waits again (its stamp stays, for the record). */
    private static final String UNSTAMP = """
            update broadcast_messages set state = 'PENDING', lease_until = null, claimed_by = null
            where id = $1 and state = 'SENDING'""";

    private static final String RELEASE = """
            update broadcast_messages set lease_until = null, claimed_by = null
            where id = any($1) and state = 'PENDING' and claimed_by = $2""";

    private static final String BLOCKED = "update users set bot_blocked_at = now() where telegram_id = $1";

    /** A SENDING row older than the call's bound: its sender died mid-call, and it may have gone out. */
    private static final String ABANDONED = """
            update broadcast_messages set state = 'UNKNOWN', settled_at = now()
            where state = 'SENDING' and sending_at < now() - $1::bigint * interval '1 millisecond'""";

    private static final String FINISHED = """
            update broadcasts b set status = 'DONE', finished_at = now()
            where status = 'SENDING'
              and not exists (select 1 from broadcast_messages m
                              where m.broadcast_id = b.id and m.state in ('PENDING', 'SENDING'))""";

    private static final String NOTIFICATIONS_WAITING = """
            select exists (select 1 from customer_notifications where finished_at is null and next_at <= now())""";

    /** One claimed message. */
    public record Claimed(long id, long broadcastId, long chatId, String text) {}

    /** How a sent message ended. */
    public enum Outcome {
        SENT,
        BLOCKED,
        FAILED,
        UNKNOWN
    }

    private final Pool db;

    public BroadcastOutbox(Pool db) {
        this.db = db;
    }

    /** Claims up to {@code limit} pending messages of running broadcasts, oldest first, for {@code lease}. */
    public Uni<List<Claimed>> claim(int limit, String sender, Duration lease) {
        return db.preparedQuery(CLAIM)
                .execute(Tuple.of((long) limit, sender, lease.toMillis()))
                .map(BroadcastOutbox::claimed)
                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(claimed) : skipOptedOut(claimed));
    }

    private Uni<List<Claimed>> skipOptedOut(List<Claimed> claimed) {
        Long[] ids = claimed.stream().map(Claimed::id).toArray(Long[]::new);
        return db.preparedQuery(SKIP).execute(Tuple.of((Object) ids)).map(rows -> {
            Set<Long> skipped = new HashSet<>();
            rows.forEach(row -> skipped.add(row.getLong(0)));
            return claimed.stream().filter(c -> !skipped.contains(c.id())).toList();
        });
    }

    /** True when the row became SENDING for this sender; false: it is no longer its to send (cancelled, taken). */
    public Uni<Boolean> stamp(long id, String sender) {
        return db.preparedQuery(STAMP).execute(Tuple.of(id, sender)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> settle(long id, Outcome outcome) {
        return db.preparedQuery(SETTLE).execute(Tuple.of(id, outcome.name())).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> unstamp(long id) {
        return db.preparedQuery(UNSTAMP).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /** Gives claimed rows that were never stamped back at once, rather than when their lease lapses. */
    public Uni<Integer> release(List<Long> ids, String sender) {
        return db.preparedQuery(RELEASE)
                .execute(Tuple.of(ids.toArray(Long[]::new), sender))
                .map(RowSet::rowCount);
    }

    /** Telegram said 403: the customer blocked the bot. Skipped by broadcasts and notifications until they write again. */
    public Uni<Void> markBlocked(long chatId) {
        return db.preparedQuery(BLOCKED).execute(Tuple.of(chatId)).replaceWithVoid();
    }

    /** SENDING rows stamped longer than {@code olderThan} ago become UNKNOWN; how many. */
    public Uni<Integer> settleAbandoned(Duration olderThan) {
        return db.preparedQuery(ABANDONED)
                .execute(Tuple.of(olderThan.toMillis()))
                .map(RowSet::rowCount);
    }

    /** Running broadcasts with nothing left to send become DONE; how many. */
    public Uni<Integer> finishDone() {
        return db.query(FINISHED).execute().map(RowSet::rowCount);
    }

    /** Whether customer notifications are due: they go before any broadcast. */
    public Uni<Boolean> notificationsWaiting() {
        return db.query(NOTIFICATIONS_WAITING)
                .execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static List<Claimed> claimed(RowSet<Row> rows) {
        List<Claimed> claimed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            claimed.add(new Claimed(
                    row.getLong("id"), row.getLong("broadcast_id"), row.getLong("chat_id"), row.getString("text")));
        }
        claimed.sort((a, b) -> Long.compare(a.id(), b.id()));
        return claimed;
    }
}
