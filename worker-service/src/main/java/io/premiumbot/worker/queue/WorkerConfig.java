package io.premiumbot.worker.queue;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The worker process's own settings: its queue consumer, housekeeping and schedules. Each feature's settings live with
 * it (delivery/ReconcileConfig, queue/RetryConfig, telegram/StarsConfig, notify/NotifyConfig,
 * metrics/LedgerDriftConfig); env names and defaults
 * are in application.properties, once.
 */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** Names this process's processing list and heartbeat; hostname and pid when unset. */
    Optional<String> id();

    /** Jobs in flight at once per process. */
    int concurrency();

    Consumer consumer();

    Queue queue();

    Schedule schedule();

    Retention retention();

    interface Consumer {
        /** Off in tests that drive the queue by hand; on by default in every deployment. */
        boolean enabled();

        /** How long one BLMOVE waits on an empty queue; also how often the loop proves it is alive. */
        Duration claimTimeout();

        /** A worker whose heartbeat is older than this is dead and its jobs go back to ready. */
        Duration heartbeatTtl();

        /** How long shutdown waits for jobs in flight; longer than the Telegram call timeout. */
        Duration drainTimeout();

        /** Scheduler interval (read by {@code @Scheduled}); well inside the TTL. */
        String heartbeatEvery();
    }

    /** Scheduler intervals of the queue's housekeeping ({@code off} disables one). */
    interface Queue {
        String promoteEvery();

        String reapEvery();

        String metricsEvery();
    }

    /** Scheduler intervals of the scheduled jobs ({@code off} disables one). */
    interface Schedule {
        String expireEvery();

        /** Also how often lost deliveries are looked for: with the thresholds below, settled within about two minutes. */
        String reconcileEvery();

        String starBalanceEvery();

        /** How often the Star transactions are imported and classified (the treasury). */
        String starImportEvery();

        String unknownEvery();

        /** How often the TRC20 poller asks TronGrid for new transfers. */
        String trc20Every();

        /** Orders by status, ledger sums and drift read from PostgreSQL into gauges. */
        String databaseMetricsEvery();

        /** How often a replica asks whether the fleet's full ledger recount is due. */
        String ledgerDriftFullCheckEvery();

        String pruneEvery();

        String deadRetentionEvery();

        /** How often one replica asks Telegram for getWebhookInfo (the backlog Telegram holds for us, its last error). */
        String webhookInfoEvery();
    }

    /** What is kept how long: webhook replay guards, dead jobs. */
    interface Retention {
        /** How long a processed update_id is kept; Telegram replays an update for at most 24 hours. */
        Duration processedUpdates();

        /** Rows deleted per statement. */
        int pruneBatch();

        /** Statements per tick: a backlog is worked off over several ticks. */
        int pruneBatchesPerTick();

        /** The oldest dead jobs looked at per tick. */
        int deadScan();
    }
}
