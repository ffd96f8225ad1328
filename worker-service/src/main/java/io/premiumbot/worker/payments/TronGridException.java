package io.premiumbot.worker.payments;

/** Why a TronGrid call gave no usable page. Every kind means: nothing was processed past it, try again next tick. */
public abstract sealed class TronGridException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    TronGridException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }

    /** A short, bounded label for metrics and logs. */
    public abstract String kind();

    /** 429: over the API key's (or the free tier's) rate. */
    public static final class RateLimited extends TronGridException {
        private static final long serialVersionUID = 1L;

        public RateLimited(String message) {
            super(429, "TronGrid rate limit: " + message, null);
        }

        @Override
        public String kind() {
            return "rate_limited";
        }
    }

    /** 5xx, a timeout or no connection: TronGrid's trouble. */
    public static final class Unavailable extends TronGridException {
        private static final long serialVersionUID = 1L;

        public Unavailable(int status, String message, Throwable cause) {
            super(status, "TronGrid unavailable: " + message, cause);
        }

        @Override
        public String kind() {
            return "unavailable";
        }
    }

    /** Any other refusal (400 bad parameter or fingerprint, 401/403 bad key): our request or configuration is wrong. */
    public static final class Rejected extends TronGridException {
        private static final long serialVersionUID = 1L;

        public Rejected(int status, String message) {
            super(status, "TronGrid refused the request (HTTP " + status + "): " + message, null);
        }

        @Override
        public String kind() {
            return "rejected";
        }
    }

    /** A 200 whose body is not the documented shape. */
    public static final class BadAnswer extends TronGridException {
        private static final long serialVersionUID = 1L;

        public BadAnswer(String message, Throwable cause) {
            super(200, "TronGrid answer unreadable: " + message, cause);
        }

        @Override
        public String kind() {
            return "bad_answer";
        }
    }
}
