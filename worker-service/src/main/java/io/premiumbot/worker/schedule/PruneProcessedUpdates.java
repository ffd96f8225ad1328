package io.premiumbot.worker.schedule;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.premiumbot.worker.queue.WorkerConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps {@code processed_updates} (one row per webhook update, the replay guard) as long as Telegram can still
 * deliver an update again, and deletes older rows in small batches so no tick holds many locks or bloats one
 * transaction. Telegram keeps an undelivered update for at most 24 hours, so a retention below that is refused.
 * Replicas pruning at once skip each other's rows.
 */
@ApplicationScoped
public class PruneProcessedUpdates {

    private static final Logger LOG = Logger.getLogger(PruneProcessedUpdates.class);

    /** Telegram's own limit on how long it retries an update. */
    static final Duration TELEGRAM_REPLAY_WINDOW = Duration.ofHours(24);

    private static final String PRUNE_BATCH = """
            delete from processed_updates where update_id in (
                select update_id from processed_updates where received_at < now() - make_interval(secs => $1)
                order by received_at limit $2 for update skip locked)""";

    private final Pool db;
    private final Duration retention;
    private final int batchSize;
    private final int batchesPerTick;

    @Inject
    public PruneProcessedUpdates(Pool db, WorkerConfig config) {
        this(
                db,
                config.retention().processedUpdates(),
                config.retention().pruneBatch(),
                config.retention().pruneBatchesPerTick());
    }

    PruneProcessedUpdates(Pool db, Duration retention, int batchSize, int batchesPerTick) {
        if (retention.compareTo(TELEGRAM_REPLAY_WINDOW) < 0) {
            throw new IllegalArgumentException("worker.retention.processed-updates must be at least "
                    + TELEGRAM_REPLAY_WINDOW + " (Telegram redelivers an update for up to 24 hours), was " + retention);
        }
        if (batchSize < 1 || batchesPerTick < 1) {
            throw new IllegalArgumentException("prune batch size and batches per tick must be positive");
        }
        this.db = db;
        this.retention = retention;
        this.batchSize = batchSize;
        this.batchesPerTick = batchesPerTick;
    }

    @Scheduled(
            identity = "prune-processed-updates",
            every = "${worker.schedule.prune-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return prune().replaceWithVoid();
    }

    /** Deletes up to batches-per-tick batches of rows older than the retention; the number deleted. */
    public Uni<Long> prune() {
        return pruneFrom(0, 0L).invoke(deleted -> {
            if (deleted > 0) {
                LOG.infof("event=processed_updates_pruned rows=%d", deleted);
            }
        });
    }

    private Uni<Long> pruneFrom(int batch, long deletedSoFar) {
        return db.preparedQuery(PRUNE_BATCH)
                .execute(Tuple.of((double) retention.toSeconds(), batchSize))
                .flatMap(result -> {
                    long total = deletedSoFar + result.rowCount();
                    return result.rowCount() < batchSize || batch + 1 >= batchesPerTick
                            ? Uni.createFrom().item(total)
                            : pruneFrom(batch + 1, total);
                });
    }
}
