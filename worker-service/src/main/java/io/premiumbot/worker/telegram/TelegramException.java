package io.premiumbot.worker.telegram;

import java.time.Duration;

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
     * The request never reached Telegram (connection refused, circuit open), or Telegram answered 5xx, which is safe to
     * retry only for idempotent calls: see {@link #mayHaveBeenCarriedOut()}.
     */
    public static final class Unavailable extends TelegramException {
        private static final long serialVersionUID = 1L;
        private final int errorCode;

        public Unavailable(String method, int errorCode, String description, Throwable cause) {
            super(method + ": Telegram unavailable (" + errorCode + " " + description + ")", cause);
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
