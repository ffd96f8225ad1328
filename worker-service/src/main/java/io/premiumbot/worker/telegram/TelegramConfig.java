package io.premiumbot.worker.telegram;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** Where the Bot API is and how hard we may call it. The token is a secret: never logged, never in a URL we print. */
@ConfigMapping(prefix = "telegram")
public interface TelegramConfig {

    String apiUrl();

    String botToken();

    // the budget toward Telegram (telegram.rate-*) is shared-model's TelegramBudgetConfig

    /** Shorter than the call timeout, so a connection that never opens is told apart from an unanswered call. */
    Duration connectTimeout();

    long timeoutMillis();
}
