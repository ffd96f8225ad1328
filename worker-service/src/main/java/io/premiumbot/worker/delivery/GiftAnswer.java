package io.premiumbot.worker.delivery;

import java.util.function.Predicate;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.worker.delivery.DeliveryOutcome.RetryClass;
import io.premiumbot.worker.telegram.CallWithheld;
import io.premiumbot.worker.telegram.TelegramException;

/**
 * Every answer a {@code giftPremiumSubscription} call can come back with, and what it means: the attempt row's
 * outcome, where the order goes, whether and when the job runs again, and whether that try counts against the job's
 * attempts. {@link #of(Throwable)} reads the rows top to bottom; the first that matches decides.
 *
 * <p>The rule the table keeps: a gift is never sent again without proof it didn't happen. Only rows whose request
 * provably did nothing ({@link #WITHHELD}, {@link #RATE_LIMITED}, {@link #NOT_REACHED}, {@link #BALANCE_TOO_LOW})
 * put the order back to PAID; an answer that leaves room for doubt keeps it DELIVERING until the bot's Star
 * transactions say whether the gift was made ({@link AmbiguousGifts}). {@code docs/queue.md} names every other layer
 * of the retry policy (the limiter, the job's attempts, the reconcilers).
 */
public enum GiftAnswer {

    /** Telegram answered {@code true}: the gift went out. */
    DELIVERED(
            failure -> failure == null,
            DeliveryAttempts.Outcome.DELIVERED,
            OrderStatus.DELIVERED,
            Wait.NONE,
            null,
            false,
            "order_delivered"),

    /** The worker's last check before the call found the job no longer its own: nothing was sent. */
    WITHHELD(
            failure -> failure instanceof CallWithheld,
            DeliveryAttempts.Outcome.NOT_SENT,
            OrderStatus.PAID,
            Wait.NONE,
            null,
            false,
            "gift_withheld"),

    /** 429: nothing was done; the job waits Telegram's {@code retry_after}, which says nothing of its health. */
    RATE_LIMITED(
            failure -> failure instanceof TelegramException.RateLimited,
            DeliveryAttempts.Outcome.RATE_LIMITED,
            OrderStatus.PAID,
            Wait.TELEGRAMS_RETRY_AFTER,
            RetryClass.RATE_LIMITED,
            false,
            "gift_rate_limited"),

    /**
     * The request never left ({@code NotSent}: open circuit, refused connection, no pooled connection in time) or
     * Telegram refused our credentials (401/404): nothing was done and it is not the order's fault, so it costs no
     * attempt. The order waits PAID for as long as Telegram is out of reach (the open circuit's remaining time, else
     * backoff), and the circuit's gauge alerts.
     */
    NOT_REACHED(
            failure -> failure instanceof TelegramException.Unavailable unavailable
                    && !unavailable.mayHaveBeenCarriedOut(),
            DeliveryAttempts.Outcome.UNAVAILABLE,
            OrderStatus.PAID,
            Wait.UNTIL_REACHABLE,
            RetryClass.UNAVAILABLE,
            false,
            "telegram_not_reached"),

    /** The bot's Stars don't cover the gift: every delivery pauses until the balance does; not the customer's fault. */
    BALANCE_TOO_LOW(
            failure -> failure instanceof TelegramException.Rejected rejected && rejected.isBalanceTooLow(),
            DeliveryAttempts.Outcome.BALANCE_TOO_LOW,
            OrderStatus.PAID,
            Wait.STARS_RECHECK,
            RetryClass.STARS_PAUSED,
            false,
            "deliveries_paused"),

    /** A definite refusal (e.g. the recipient can't receive Premium): FAILED and refunded in the currency paid. */
    REJECTED(
            failure -> failure instanceof TelegramException.Rejected,
            DeliveryAttempts.Outcome.REJECTED,
            OrderStatus.FAILED,
            Wait.NONE,
            null,
            false,
            "order_refused"),

    /** 5xx: the request arrived and the gift may have been made; DELIVERING until the Star transactions tell. */
    SERVER_ERROR(
            failure -> failure instanceof TelegramException.Unavailable,
            DeliveryAttempts.Outcome.SERVER_ERROR,
            null,
            Wait.STAR_TRANSACTIONS_CHECK,
            RetryClass.AMBIGUOUS,
            false,
            "delivery_ambiguous"),

    /** Sent and no answer came (a timeout), or anything else: treated as possibly made, the safe side. */
    NO_ANSWER(
            failure -> true,
            DeliveryAttempts.Outcome.UNKNOWN,
            null,
            Wait.STAR_TRANSACTIONS_CHECK,
            RetryClass.AMBIGUOUS,
            false,
            "delivery_ambiguous");

    /** How long the job waits before it runs again. */
    enum Wait {
        /** It doesn't run again for this answer. */
        NONE,
        /** Telegram's {@code retry_after}. */
        TELEGRAMS_RETRY_AFTER,
        /**
         * The open circuit's remaining time when the failure knows it, else exponential backoff with jitter by attempt
         * ({@code worker.retry.min-backoff} to {@code max-backoff}).
         */
        UNTIL_REACHABLE,
        /** The Stars balance re-check period ({@code worker.stars.recheck-every}). */
        STARS_RECHECK,
        /** Until a read of the bot's Star transactions can tell (first: that Telegram caught up with the request). */
        STAR_TRANSACTIONS_CHECK
    }

    private final Predicate<Throwable> matches;
    private final String attemptOutcome;
    private final OrderStatus orderAfter;
    private final Wait wait;
    private final RetryClass retryClass;
    private final boolean countsAsAttempt;
    private final String event;

    GiftAnswer(
            Predicate<Throwable> matches,
            String attemptOutcome,
            OrderStatus orderAfter,
            Wait wait,
            RetryClass retryClass,
            boolean countsAsAttempt,
            String event) {
        this.matches = matches;
        this.attemptOutcome = attemptOutcome;
        this.orderAfter = orderAfter;
        this.wait = wait;
        this.retryClass = retryClass;
        this.countsAsAttempt = countsAsAttempt;
        this.event = event;
    }

    /** The row for a call that succeeded ({@code failure} null) or failed with {@code failure}. */
    public static GiftAnswer of(Throwable failure) {
        for (GiftAnswer answer : values()) {
            if (answer.matches.test(failure)) {
                return answer;
            }
        }
        throw new IllegalStateException("the last row matches every failure");
    }

    /** The value of the attempt row's {@code outcome} column. */
    public String attemptOutcome() {
        return attemptOutcome;
    }

    /** Where the order moves from DELIVERING; null when it stays DELIVERING until the Star transactions tell. */
    public OrderStatus orderAfter() {
        return orderAfter;
    }

    public Wait waitKind() {
        return wait;
    }

    /** Whether the job runs again for this answer. */
    public boolean retries() {
        return wait != Wait.NONE;
    }

    /** The retry's metric label; null when the job doesn't run again. */
    public RetryClass retryClass() {
        return retryClass;
    }

    /** Whether this try counts against {@code worker.retry.max-attempts}. */
    public boolean countsAsAttempt() {
        return countsAsAttempt;
    }

    /** The log event that records it. */
    public String event() {
        return event;
    }
}
