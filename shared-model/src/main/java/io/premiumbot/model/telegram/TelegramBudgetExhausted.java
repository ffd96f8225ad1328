package io.premiumbot.model.telegram;

import java.time.Duration;

/** The shared Telegram budget has no slot for this call within the caller's bounded wait; nothing was sent. */
public final class TelegramBudgetExhausted extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    public TelegramBudgetExhausted(TelegramRateLimiter.Priority priority, Duration retryAfter) {
        super(
                "no Telegram budget for a " + priority.name().toLowerCase() + " call; next slot in "
                        + retryAfter.toMillis() + " ms",
                null,
                false,
                false);
        this.retryAfter = retryAfter;
    }

    /** How long until the earliest slot the budget could give. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
