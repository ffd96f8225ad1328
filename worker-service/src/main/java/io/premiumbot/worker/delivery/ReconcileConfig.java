package io.premiumbot.worker.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/**
 * The reconcilers: when a PAID or DELIVERING order counts as stalled, and how the Star transactions are read to settle
 * it. Env names and defaults: application.properties.
 */
@ConfigMapping(prefix = "worker.reconcile")
public interface ReconcileConfig {

    /**
     * A PAID order untouched this long has lost its job (Redis flushed, enqueue failed): enqueue it again. Longer
     * than the longest retry backoff, so a job waiting for its retry isn't doubled (doubling would be harmless).
     */
    Duration paidStalledAfter();

    /**
     * A DELIVERING attempt open this long is lost even while its worker's heartbeat lives (a stuck worker); a dead
     * worker's attempts are settled as soon as its heartbeat expires.
     */
    Duration deliveringStalledAfter();

    int batchSize();

    /**
     * How long after a gift request ended its premium_purchase may take to appear in getStarTransactions: an absence
     * proves nothing before that. The safe delay before a gift is sent again.
     */
    Duration giftVisibleAfter();

    /** Pages of 100 Star transactions read at most per run; the persisted cursor goes on from there next run. */
    int starTransactionPages();

    /** How long one replica may hold the right to read the Star transactions and settle deliveries from them. */
    Duration starLease();
}
