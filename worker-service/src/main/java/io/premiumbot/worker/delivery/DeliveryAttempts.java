package io.premiumbot.worker.delivery;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The attempt rows as fences. An attempt is decided once: its worker finishes it, or a settler (after reading the
 * bot's Star transactions) settles it, each only "where settlement is null", so the two can never both win. Each
 * statement runs in the caller's transaction.
 */
@ApplicationScoped
public class DeliveryAttempts {

    /** Outcomes after which the gift may have been made: Telegram answered 5xx, or never answered. */
    public static final List<String> AMBIGUOUS = List.of(Outcome.SERVER_ERROR, Outcome.UNKNOWN);

    /** The outcome column's values. */
    public static final class Outcome {
        public static final String DELIVERED = "DELIVERED";
        public static final String SERVER_ERROR = "SERVER_ERROR";
        public static final String UNKNOWN = "UNKNOWN";
        public static final String NOT_SENT = "NOT_SENT";
        public static final String LOST = "LOST";
        public static final String RATE_LIMITED = "RATE_LIMITED";
        public static final String UNAVAILABLE = "UNAVAILABLE";
        public static final String BALANCE_TOO_LOW = "BALANCE_TOO_LOW";
        public static final String REJECTED = "REJECTED";

        private Outcome() {}
    }

    /** What the Star transactions showed for an ambiguous or abandoned attempt. */
    public enum Settlement {
        FOUND,
        ABSENT,
        UNCLEAR,
        NOT_SENT
    }

    /**
     * An order's latest attempt; {@code sentAt}/{@code finishedAt} null when not yet, {@code caughtUpAt} null until a
     * Star transactions request sent after the attempt's request was over got answered.
     */
    public record Latest(
            long id,
            String orderId,
            String workerId,
            Instant startedAt,
            Instant sentAt,
            Instant finishedAt,
            String outcome,
            String settlement,
            Instant caughtUpAt) {

        /** Answered 5xx or not at all, and nobody decided yet: the gift may have gone out. */
        public boolean awaitsCheck() {
            return settlement == null && finishedAt != null && AMBIGUOUS.contains(outcome);
        }
    }

    /** The columns of a {@link Latest}, for queries over attempts aliased {@code a}. */
    static final String COLUMNS = """
            a.id, a.order_id, a.worker_id, cast(extract(epoch from a.started_at) * 1000 as bigint),
            cast(extract(epoch from a.sent_at) * 1000 as bigint), cast(extract(epoch from a.finished_at) * 1000 as bigint),
            a.outcome, a.settlement, cast(extract(epoch from a.caught_up_at) * 1000 as bigint)""";

    private static final String LATEST =
            "select " + COLUMNS + " from delivery_attempts a where a.order_id = ?1 order by a.attempt desc limit 1";

    /** The fence right before the call: only an attempt nobody finished or settled may go out. */
    private static final String MARK_SENT = """
            update delivery_attempts set sent_at = now() where id = ?1 and finished_at is null and settlement is null""";

    private static final String FINISH = """
            update delivery_attempts set finished_at = now(), outcome = ?2, error_code = ?3, error_description = ?4
            where id = ?1 and finished_at is null and settlement is null""";

    private static final String SETTLE = """
            update delivery_attempts set settlement = ?2, settled_at = now(),
                finished_at = coalesce(finished_at, now()), outcome = coalesce(outcome, ?3)
            where id = ?1 and settlement is null""";

    /**
     * A DELIVERY_UNKNOWN order's attempt decided at last (the order's status is the fence: no new attempt starts
     * meanwhile); the same checks hold: FOUND names its gift, ABSENT none.
     */
    private static final String RESETTLE = """
            update delivery_attempts set settlement = ?2, settled_at = now(),
                finished_at = coalesce(finished_at, now()), outcome = coalesce(outcome, 'LOST')
            where id = ?1 and (settlement is null or settlement = 'UNCLEAR')""";

    /** What the matching of gifts to attempts decided for one attempt so far. */
    private static final String PROOF =
            "select gift_transaction_id is not null, no_gift_at is not null from delivery_attempts where id = ?1";

    /** What the bot's Star transactions proved about an attempt: its own gift, provably none, or nothing yet. */
    public enum Proof {
        GIFT,
        NO_GIFT,
        NONE_YET
    }

    /** A lost attempt whose request provably never left: nothing was sent, so nothing can be found. */
    private static final String SETTLE_UNSENT = """
            update delivery_attempts set settlement = 'NOT_SENT', settled_at = now(), finished_at = now(), outcome = 'NOT_SENT'
            where id = ?1 and settlement is null and finished_at is null and sent_at is null""";

    /**
     * Attempts that count toward the limit, as {@link GiftAnswer} counts them: not the waits Telegram or the Stars
     * balance imposed, not the unsent, not the tries that never reached Telegram (an outage costs no attempt).
     */
    private static final String COUNTED = """
            select count(*) from delivery_attempts
            where order_id = ?1
              and coalesce(outcome, '') not in ('RATE_LIMITED', 'BALANCE_TOO_LOW', 'NOT_SENT', 'UNAVAILABLE')""";

    public Uni<Latest> latest(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(LATEST, Object[].class)
                        .setParameter(1, orderId)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : toLatest(rows.get(0)));
    }

    public Uni<Boolean> markSent(long attemptId) {
        return update(MARK_SENT, attemptId);
    }

    /** The worker's own outcome; false when a settler decided the attempt first. */
    public Uni<Boolean> finish(long attemptId, String outcome, Integer errorCode, String description) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(FINISH)
                        .setParameter(1, attemptId)
                        .setParameter(2, outcome)
                        .setParameter(3, errorCode)
                        .setParameter(4, truncate(description))
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /** Decides the attempt once; {@code outcomeIfUnfinished} is written when its worker never finished it. */
    public Uni<Boolean> settle(long attemptId, Settlement settlement, String outcomeIfUnfinished) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(SETTLE)
                        .setParameter(1, attemptId)
                        .setParameter(2, settlement.name())
                        .setParameter(3, outcomeIfUnfinished)
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /** Decides a DELIVERY_UNKNOWN order's attempt; false when it was decided otherwise meanwhile. */
    public Uni<Boolean> resettle(long attemptId, Settlement settlement) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(RESETTLE)
                        .setParameter(1, attemptId)
                        .setParameter(2, settlement.name())
                        .executeUpdate())
                .map(count -> count == 1);
    }

    public Uni<Proof> proof(long attemptId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(PROOF, Object[].class)
                        .setParameter(1, attemptId)
                        .getSingleResult())
                .map(row -> Boolean.TRUE.equals(row[0])
                        ? Proof.GIFT
                        : Boolean.TRUE.equals(row[1]) ? Proof.NO_GIFT : Proof.NONE_YET);
    }

    public Uni<Boolean> settleUnsent(long attemptId) {
        return update(SETTLE_UNSENT, attemptId);
    }

    public Uni<Integer> counted(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(COUNTED, Long.class)
                        .setParameter(1, orderId)
                        .getSingleResult())
                .map(Long::intValue);
    }

    private static Uni<Boolean> update(String statement, long attemptId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(statement)
                        .setParameter(1, attemptId)
                        .executeUpdate())
                .map(count -> count == 1);
    }

    /** A row of {@link #COLUMNS}. */
    static Latest toLatest(Object[] row) {
        return new Latest(
                ((Number) row[0]).longValue(),
                (String) row[1],
                (String) row[2],
                instant(row[3]),
                instant(row[4]),
                instant(row[5]),
                (String) row[6],
                (String) row[7],
                instant(row[8]));
    }

    static Instant instant(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 512 ? text : text.substring(0, 512);
    }
}
