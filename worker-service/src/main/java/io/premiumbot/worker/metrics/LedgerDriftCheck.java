package io.premiumbot.worker.metrics;

import java.time.Duration;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds users whose balance differs from the sum of their ledger entries and keeps them in {@code ledger_drift},
 * which every replica's gauges read.
 *
 * <p>The database already refuses drift (migration V6): an entry must continue its user's chain
 * ({@code balance_after = previous balance_after + amount}) and, at commit, the balance must equal the latest entry's
 * {@code balance_after}. This check is for when those triggers were bypassed (switched off, a restore or a replica
 * session that skips triggers), and it leans on the same two facts instead of summing history: a user whose every
 * entry continues the chain has {@code Σ amount = latest balance_after}, so the frequent check verifies each
 * <em>new</em> entry against the one before it and each changed user's balance against their latest entry — a
 * constant number of index reads per new entry, however long the ledger is. Only users found broken (and those
 * already on the list) are recounted in full, from their own entries. It reads the entries after its watermark (a
 * little before it, for transactions that committed late), at most a batch per tick. The full recount on a slow
 * schedule, or on demand ({@link #full()}), is the arbiter: it also catches a balance moved without any entry.
 * Both run on one replica at a time — the one that takes the transaction's advisory lock; the others skip the tick.
 */
@ApplicationScoped
public class LedgerDriftCheck {

    private static final Logger LOG = Logger.getLogger(LedgerDriftCheck.class);

    /** Arbitrary but fixed: the advisory lock the drift checks of every replica contend for. */
    static final long LOCK_KEY = 0x7072656d_6472696L;

    private static final String TRY_LOCK = """
            select pg_try_advisory_xact_lock($1) as locked,
                   (select full_at is null or full_at < now() - make_interval(secs => $2) from ledger_drift_state where id = 1) as full_due""";

    private static final String WATERMARK = """
            select checked_up_to, (select coalesce(max(id), 0) from ledger_entries) as top from ledger_drift_state where id = 1""";

    /**
     * $1 &lt; id &le; $2 — bounds as values, not subqueries, so the planner reads a short id range of the primary key.
     * Per new entry one probe of {@code ledger_entries_user} for its predecessor; per user one probe each of
     * {@code users} and of their latest entry; a full sum only for the broken and the listed (normally none).
     */
    private static final String INCREMENTAL = """
            with new_entries as (
                select e.user_id,
                       e.balance_after_micros <> coalesce((select p.balance_after_micros from ledger_entries p
                                                            where p.user_id = e.user_id and p.id < e.id
                                                            order by p.id desc limit 1), 0) + e.amount_micros as breaks_chain
                from ledger_entries e where e.id > $1 and e.id <= $2),
            suspects as (
                select user_id, bool_or(recount) as recount
                from (select user_id, breaks_chain as recount from new_entries
                      union all select user_id, true from ledger_drift) s
                group by user_id),
            drift as (
                select s.user_id,
                       coalesce(u.balance_micros, 0) - case when s.recount
                           then coalesce((select sum(amount_micros) from ledger_entries e where e.user_id = s.user_id), 0)
                           else coalesce((select l.balance_after_micros from ledger_entries l where l.user_id = s.user_id
                                          order by l.id desc limit 1), 0) end as micros
                from suspects s left join users u on u.telegram_id = s.user_id),
            cleared as (delete from ledger_drift d using drift where d.user_id = drift.user_id and drift.micros = 0),
            found as (insert into ledger_drift (user_id, drift_micros) select user_id, micros from drift where micros <> 0
                      on conflict (user_id) do update set drift_micros = excluded.drift_micros, found_at = now())
            update ledger_drift_state set checked_up_to = greatest(checked_up_to, $2), incremental_at = now()
            where id = 1
            returning (select count(*) from new_entries) as entries""";

    private static final String FULL = """
            with top as (select coalesce(max(id), 0) as id from ledger_entries),
            drift as (select u.telegram_id as user_id, u.balance_micros - coalesce(l.total, 0) as micros
                      from users u
                      left join (select user_id, sum(amount_micros) as total from ledger_entries group by user_id) l
                             on l.user_id = u.telegram_id
                      where u.balance_micros <> coalesce(l.total, 0)),
            cleared as (delete from ledger_drift d where not exists (select 1 from drift where drift.user_id = d.user_id)),
            found as (insert into ledger_drift (user_id, drift_micros) select user_id, micros from drift
                      on conflict (user_id) do update set drift_micros = excluded.drift_micros, found_at = now())
            update ledger_drift_state set checked_up_to = (select id from top), full_at = now(), incremental_at = now()
            where id = 1
            returning (select count(*) from drift) as users""";

    private static final String USERS = "users";
    private static final String ENTRIES = "entries";

    private final Pool db;
    private final long overlap;
    private final long maxEntries;
    private final Duration fullEvery;

    public LedgerDriftCheck(Pool db, LedgerDriftConfig config) {
        this.db = db;
        this.overlap = config.overlapEntries();
        this.maxEntries = config.maxEntriesPerCheck();
        this.fullEvery = config.fullEvery();
    }

    /** Frequent and cheap: whichever replica asks first runs the full check once it is due fleet-wide. */
    @Scheduled(
            identity = "ledger-drift-full-check",
            every = "${worker.schedule.ledger-drift-full-check-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return run(connection -> connection.preparedQuery(FULL).execute(), USERS, false)
                .invoke(LedgerDriftCheck::logFound)
                .replaceWithVoid();
    }

    /**
     * Checks the entries after the watermark (at most a batch; the rest on the next ticks) and their users; the number
     * of entries read, or -1 when another replica holds the check.
     */
    public Uni<Long> incremental() {
        return run(
                connection -> connection.preparedQuery(WATERMARK).execute().flatMap(rows -> {
                    Row state = rows.iterator().next();
                    long checked = state.getLong("checked_up_to");
                    long from = Math.max(0, checked - overlap);
                    long upTo = Math.min(state.getLong("top"), checked + maxEntries);
                    return connection.preparedQuery(INCREMENTAL).execute(Tuple.of(from, upTo));
                }),
                ENTRIES,
                true);
    }

    /** Checks every user now (a full aggregate of the ledger); the users drifting, or -1 when another replica holds it. */
    public Uni<Long> full() {
        return run(connection -> connection.preparedQuery(FULL).execute(), USERS, true)
                .invoke(LedgerDriftCheck::logFound);
    }

    private Uni<Long> run(Function<SqlConnection, Uni<RowSet<Row>>> check, String counted, boolean evenIfNotDue) {
        return db.withTransaction(connection -> connection
                .preparedQuery(TRY_LOCK)
                .execute(Tuple.of(LOCK_KEY, (double) fullEvery.toSeconds()))
                .flatMap(state -> {
                    Row row = state.iterator().next();
                    return row.getBoolean("locked") && (evenIfNotDue || row.getBoolean("full_due"))
                            ? check.apply(connection)
                                    .map(rows -> rows.iterator().next().getLong(counted))
                            : Uni.createFrom().item(-1L);
                }));
    }

    private static void logFound(long drifting) {
        if (drifting > 0) {
            LOG.errorf("event=ledger_drift_found users=%d", drifting);
        }
    }
}
