package io.premiumbot.worker.queue;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The worker's own settings (env names in application.properties). */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** Names this process's processing list and heartbeat; hostname and pid when unset. */
    Optional<String> id();

    /** Jobs in flight at once per process. */
    @WithDefault("10")
    int concurrency();

    Consumer consumer();

    Queue queue();

    Schedule schedule();

    Retry retry();

    Stars stars();

    Reconcile reconcile();

    Retention retention();

    LedgerDrift ledgerDrift();

    Notify notifications();

    interface Consumer {
        /** Off in tests that drive the queue by hand; on by default in every deployment. */
        @WithDefault("true")
        boolean enabled();

        /** How long one BLMOVE waits on an empty queue; also how often the loop proves it is alive. */
        @WithDefault("2S")
        Duration claimTimeout();

        /** A worker whose heartbeat is older than this is dead and its jobs go back to ready. */
        @WithDefault("30S")
        Duration heartbeatTtl();

        /** How long shutdown waits for jobs in flight; longer than the Telegram call timeout. */
        @WithDefault("35S")
        Duration drainTimeout();

        /** Scheduler interval (read by {@code @Scheduled}); well inside the TTL. */
        @WithDefault("10s")
        String heartbeatEvery();
    }

    /** Scheduler intervals of the queue's housekeeping ({@code off} disables one). */
    interface Queue {
        @WithDefault("1s")
        String promoteEvery();

        @WithDefault("15s")
        String reapEvery();

        @WithDefault("10s")
        String metricsEvery();
    }

    /** Scheduler intervals of the scheduled jobs ({@code off} disables one). */
    interface Schedule {
        @WithDefault("5m")
        String expireEvery();

        /** Also how often lost deliveries are looked for: with the thresholds below, settled within about two minutes. */
        @WithDefault("20s")
        String reconcileEvery();

        @WithDefault("1m")
        String starBalanceEvery();

        @WithDefault("1m")
        String unknownEvery();

        /** How often the TRC20 poller asks TronGrid for new transfers. */
        @WithDefault("15s")
        String trc20Every();

        /** Orders by status, ledger sums and drift read from PostgreSQL into gauges. */
        String databaseMetricsEvery();

        /** How often a replica asks whether the fleet's full ledger recount is due. */
        @WithDefault("10m")
        String ledgerDriftFullCheckEvery();

        @WithDefault("1m")
        String pruneEvery();

        @WithDefault("5m")
        String deadRetentionEvery();
    }

    /** What is kept how long: webhook replay guards, dead jobs. */
    interface Retention {
        /** How long a processed update_id is kept; Telegram replays an update for at most 24 hours. */
        @WithDefault("48H")
        Duration processedUpdates();

        /** Rows deleted per statement. */
        @WithDefault("5000")
        int pruneBatch();

        /** Statements per tick: a backlog is worked off over several ticks. */
        @WithDefault("20")
        int pruneBatchesPerTick();

        /** The oldest dead jobs looked at per tick. */
        @WithDefault("1000")
        int deadScan();
    }

    /** The incremental ledger drift check and the full recount behind it. */
    interface LedgerDrift {
        /** Entries re-read before the watermark, for transactions that took their id early and committed late. */
        @WithDefault("1000")
        long overlapEntries();

        /** At most this many entries past the watermark per check; a backlog (e.g. after an upgrade) takes several ticks. */
        @WithDefault("100000")
        long maxEntriesPerCheck();

        /** How often the whole ledger is recounted, across the fleet. */
        @WithDefault("24H")
        Duration fullEvery();
    }

    interface Retry {
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("4S")
        Duration minBackoff();

        @WithDefault("60S")
        Duration maxBackoff();
    }

    interface Stars {
        /** How long deliveries wait after BALANCE_TOO_LOW before one gift probes again. */
        @WithDefault("5M")
        Duration pauseFor();

        /** How often a job held back by the pause comes back to see whether it has lifted. */
        @WithDefault("60S")
        Duration recheckEvery();
    }

    interface Reconcile {
        /**
         * A PAID order untouched this long has lost its job (Redis flushed, enqueue failed): enqueue it again. Longer
         * than the longest retry backoff, so a job waiting for its retry isn't doubled (doubling would be harmless).
         */
        @WithDefault("90S")
        Duration paidStalledAfter();

        /**
         * A DELIVERING attempt open this long is lost even while its worker's heartbeat lives (a stuck worker); a dead
         * worker's attempts are settled as soon as its heartbeat expires.
         */
        @WithDefault("5M")
        Duration deliveringStalledAfter();

        @WithDefault("200")
        int batchSize();

        /**
         * How long after a gift request ended its premium_purchase may take to appear in getStarTransactions: an absence
         * proves nothing before that. The safe delay before a gift is sent again.
         */
        @WithDefault("60S")
        Duration giftVisibleAfter();

        /** Pages of 100 Star transactions read at most per run; the persisted cursor goes on from there next run. */
        @WithDefault("50")
        int starTransactionPages();

        /** How long one replica may hold the right to read the Star transactions and settle deliveries from them. */
        @WithDefault("60S")
        Duration starLease();
    }

    /** The customer-notification sender (notify/): rounds over the outbox in PostgreSQL. */
    interface Notify {
        /** How often a round looks for due notifications besides the ones written here ({@code off}: only those). */
        @WithDefault("1s")
        String every();

        /** Buyers whose notifications one round leases; each buyer's due ones become one message. */
        @WithDefault("32")
        int buyersPerRound();

        /** Messages of one round in flight at once. */
        @WithDefault("4")
        int concurrency();

        /** How long a leased notification is this sender's; past it another round takes it back. */
        @WithDefault("60S")
        Duration lease();

        /** Telegram unavailable this many times: the notification is given up. */
        @WithDefault("10")
        int maxAttempts();

        /** The wait before a notification Telegram couldn't take is tried again. */
        @WithDefault("5S")
        Duration retryAfter();
    }
}
