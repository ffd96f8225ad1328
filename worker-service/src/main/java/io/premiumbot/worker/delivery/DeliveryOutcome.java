package io.premiumbot.worker.delivery;

import java.time.Duration;

/** What one delivery job came to, and so what the queue does with it. */
public sealed interface DeliveryOutcome {

    /** A short, bounded label for metrics. */
    String label();

    /** The gift went out; the order is DELIVERED. */
    record Delivered() implements DeliveryOutcome {
        public String label() {
            return "delivered";
        }
    }

    /** The order was not PAID (delivered, refunded, taken by another worker, a replayed job): nothing to do. */
    record Skipped(String status) implements DeliveryOutcome {
        public String label() {
            return "skipped";
        }
    }

    /** Telegram refused the recipient for good; the order is REFUNDED and the price back in the wallet. */
    record Refunded(String reason) implements DeliveryOutcome {
        public String label() {
            return "refunded";
        }
    }

    /**
     * Telegram refused the recipient for good; the order, paid in Stars, is FAILED until its Stars refund is verified
     * (or, paid before charge ids were kept, until the operator refunds it by hand).
     */
    record StarsRefundRequested(String reason) implements DeliveryOutcome {
        public String label() {
            return "refund_requested";
        }
    }

    /**
     * The last check before the call found the job no longer ours (reaped, reclaimed, or its attempt settled by a
     * reconciler): nothing was sent. {@code requeue} when the order went back to PAID and needs a fresh job.
     */
    record Withheld(boolean requeue) implements DeliveryOutcome {
        public String label() {
            return "withheld";
        }
    }

    /** Telegram could not say whether the gift went out: DELIVERY_UNKNOWN, for reconciliation or an operator. */
    record Unknown() implements DeliveryOutcome {
        public String label() {
            return "unknown";
        }
    }

    /**
     * The order is PAID again and the job should run later. {@code countsAsAttempt} is false when the wait
     * is Telegram's instruction (429) or ours (Stars short), which says nothing about this job's health.
     * {@code retryClass} is the bounded label of {@code premium_delivery_retries_total}.
     */
    record RetryLater(Duration after, boolean countsAsAttempt, RetryClass retryClass, String reason)
            implements DeliveryOutcome {
        public String label() {
            return countsAsAttempt ? "retried" : "deferred";
        }
    }

    /** Why a job waits for another try; one metric label value each. */
    enum RetryClass {
        RATE_LIMITED,
        UNAVAILABLE,
        STARS_PAUSED,
        ERROR,
        /** The answer was ambiguous (5xx, none): the job comes back to read the Star transactions before any new call. */
        AMBIGUOUS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
