package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.util.Optional;

/**
 * A Bot API call that did not succeed, classified by what it means for a gift: whether the
 * request can be sent again safely, must wait, was definitely refused, or may have been carried out.
 */
public abstract sealed class TelegramException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private TelegramException(String message, Throwable cause) {
        super(message, cause);
    }

    /** 429: Telegram asks us to wait {@code retryAfter}; nothing was done. */
    public static final class RateLimited extends TelegramException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        public RateLimited(String method, Duration retryAfter) {
            super(method + ": rate limited, retry after " + retryAfter.toSeconds() + " s", null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * The request never reached Telegram ({@link NotSent}), Telegram refused our credentials (401/404: our
     * misconfiguration), or Telegram answered 5xx, which is safe to retry only for idempotent calls: see
     * {@link #mayHaveBeenCarriedOut()}.
     */
    public static sealed class Unavailable extends TelegramException permits NotSent {
        private static final long serialVersionUID = 1L;
        private final int errorCode;

        public Unavailable(String method, int errorCode, String description, Throwable cause) {
            this(method + ": Telegram unavailable (" + errorCode + " " + description + ")", errorCode, cause);
        }

        private Unavailable(String message, int errorCode, Throwable cause) {
            super(message, cause);
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }

        /** Telegram (or a proxy before it) answered 5xx: the request arrived, so the work may have been done anyway. */
        public boolean mayHaveBeenCarriedOut() {
            return errorCode >= 500;
        }
    }

    /**
     * The request was never written to Telegram, so nothing was done and sending it again is safe: the method's circuit
     * breaker is open, the connection failed (refused, unresolved, not had within the connect timeout), no pooled
     * connection came free within the pool wait, the client's wait queue was full, or the call's time ran out before
     * the request could be written. {@code retryAfter} is when trying again can help (an open circuit's remaining
     * time), empty when unknown.
     */
    public static final class NotSent extends Unavailable {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;
        private final boolean ourSide;

        public NotSent(String method, String why, Duration retryAfter, Throwable cause) {
            this(method, why, retryAfter, cause, false);
        }

        private NotSent(String method, String why, Duration retryAfter, Throwable cause, boolean ourSide) {
            super(method + ": not sent (" + why + ")", 0, cause);
            this.retryAfter = retryAfter;
            this.ourSide = ourSide;
        }

        /** Our own side failed before Telegram could be asked (the rate limiter's Redis): it says nothing of Telegram. */
        public static NotSent ourSide(String method, String why, Throwable cause) {
            return new NotSent(method, why, null, cause, true);
        }

        /** True when nothing about Telegram was learned: the failure was ours, not Telegram's. */
        public boolean ourSide() {
            return ourSide;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** A definite refusal (4xx such as "Bad Request: user not found"): sending it again changes nothing. */
    public static final class Rejected extends TelegramException {
        private static final long serialVersionUID = 1L;
        private final int errorCode;
        private final String description;

        public Rejected(String method, int errorCode, String description) {
            super(method + ": rejected (" + errorCode + " " + description + ")", null);
            this.errorCode = errorCode;
            this.description = description;
        }

        public int errorCode() {
            return errorCode;
        }

        public String description() {
            return description;
        }

        /** The bot's Stars don't cover the gift: a pause, not the customer's problem. */
        public boolean isBalanceTooLow() {
            return description != null && description.contains("BALANCE_TOO_LOW");
        }
    }

    /** The request went out and no answer came back: it may have been carried out. Never repeat blindly. */
    public static final class OutcomeUnknown extends TelegramException {
        private static final long serialVersionUID = 1L;

        public OutcomeUnknown(String method, Throwable cause) {
            super(method + ": sent, no answer", cause);
        }
    }
}
