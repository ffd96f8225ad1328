package io.premiumbot.worker.metrics;

import java.time.Duration;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.premiumbot.worker.queue.WorkerConfig;
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
 * which every replica's gauges read. The frequent check looks only at users with entries after its watermark (a
 * little before it, for transactions that committed late), so its cost follows the ledger's activity, not its
 * history; a full check on a slow schedule also catches a balance that moved without an entry. Both run on one
 * replica at a time: the one that takes the transaction's advisory lock; the others skip the tick.
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

    /** Bounds as values, not subqueries: the planner then sees a short id range and reads the primary key. */
    private static final String INCREMENTAL = """
            with changed as (select distinct user_id from ledger_entries where id > $1 and id <= $2),
            drift as (select c.user_id,
                             (select balance_micros from users u where u.telegram_id = c.user_id)
                             - coalesce((select sum(amount_micros) from ledger_entries e where e.user_id = c.user_id), 0) as micros
                      from changed c),
            cleared as (delete from ledger_drift d using drift where d.user_id = drift.user_id and drift.micros = 0),
            found as (insert into ledger_drift (user_id, drift_micros) select user_id, micros from drift where micros <> 0
                      on conflict (user_id) do update set drift_micros = excluded.drift_micros, found_at = now())
            update ledger_drift_state set checked_up_to = greatest(checked_up_to, $2), incremental_at = now()
            where id = 1
            returning (select count(*) from changed) as users""";

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

    private final Pool db;
    private final long overlap;
    private final Duration fullEvery;

    public LedgerDriftCheck(Pool db, WorkerConfig config) {
        this.db = db;
        this.overlap = config.ledgerDrift().overlapEntries();
        this.fullEvery = config.ledgerDrift().fullEvery();
    }

    /** Frequent and cheap: whichever replica asks first runs the full check once it is due fleet-wide. */
    @Scheduled(identity = "ledger-drift-full-check", every = "${worker.schedule.ledger-drift-full-check-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return run(connection -> connection.preparedQuery(FULL).execute(), false).invoke(LedgerDriftCheck::logFound).replaceWithVoid();
    }

    /** Checks the users with new entries; the number checked, or -1 when another replica holds the check. */
    public Uni<Long> incremental() {
        return run(connection -> connection.preparedQuery(WATERMARK).execute().flatMap(rows -> {
            Row state = rows.iterator().next();
            long from = Math.max(0, state.getLong("checked_up_to") - overlap);
            return connection.preparedQuery(INCREMENTAL).execute(Tuple.of(from, state.getLong("top")));
        }), true);
    }

    /** Checks every user now (a full aggregate of the ledger); the users drifting, or -1 when another replica holds it. */
    public Uni<Long> full() {
        return run(connection -> connection.preparedQuery(FULL).execute(), true).invoke(LedgerDriftCheck::logFound);
    }

    private Uni<Long> run(Function<SqlConnection, Uni<RowSet<Row>>> check, boolean evenIfNotDue) {
        return db.withTransaction(connection -> connection.preparedQuery(TRY_LOCK)
                .execute(Tuple.of(LOCK_KEY, (double) fullEvery.toSeconds()))
                .flatMap(state -> {
                    Row row = state.iterator().next();
                    return row.getBoolean("locked") && (evenIfNotDue || row.getBoolean("full_due"))
                            ? check.apply(connection).map(rows -> rows.iterator().next().getLong("users"))
                            : Uni.createFrom().item(-1L);
                }));
    }

    private static void logFound(long drifting) {
        if (drifting > 0) {
            LOG.errorf("event=ledger_drift_found users=%d", drifting);
        }
    }
}
