package io.premiumbot.worker.metrics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** The incremental ledger drift check and the full recount behind it. Env names and defaults: application.properties. */
@ConfigMapping(prefix = "worker.ledger-drift")
public interface LedgerDriftConfig {

    /** Entries re-read before the watermark, for transactions that took their id early and committed late. */
    long overlapEntries();

    /** At most this many entries past the watermark per check; a backlog (e.g. after an upgrade) takes several ticks. */
    long maxEntriesPerCheck();

    /** How often the whole ledger is recounted, across the fleet. */
    Duration fullEvery();
}
