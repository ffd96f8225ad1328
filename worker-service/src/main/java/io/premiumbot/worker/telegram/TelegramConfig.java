package io.premiumbot.worker.telegram;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the Bot API is and how hard we may call it. The token is a secret: never logged, never in a URL we print. */
@ConfigMapping(prefix = "telegram")
public interface TelegramConfig {

    String apiUrl();

    String botToken();

    /** Telegram's bulk limit is about 30 messages per second; gifts count against it too. */
    @WithDefault("30")
    int rateLimitPerSecond();

    /** Calls per second of that budget kept unused for the network's jitter (read by the shared TelegramRateLimiter). */
    @WithDefault("1")
    int rateHeadroomPerSecond();

    /** The longest a gift waits for its slot before failing typed (nothing sent). */
    @WithDefault("5S")
    Duration rateMaxWait();

    /** The longest a spare call (notification, reconciliation read) waits for what gifts leave. */
    @WithDefault("2S")
    Duration rateSpareMaxWait();

    /** Shorter than the call timeout, so a connection that never opens is told apart from an unanswered call. */
    @WithDefault("5S")
    Duration connectTimeout();

    @WithDefault("30000")
    long timeoutMillis();
}
