package io.premiumbot.model.telegram;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/**
 * The one budget toward Telegram shared by every replica of both services, as {@link TelegramRateLimiter} spends it.
 * Both services read these same settings (env names and defaults in each one's application.properties, kept equal
 * there); set them the same for every replica.
 */
@ConfigMapping(prefix = "telegram")
public interface TelegramBudgetConfig {

    /** Calls per second toward Telegram (its bulk limit is about 30 messages per second; gifts count too). */
    int rateLimitPerSecond();

    /** Calls per second of that budget kept unused for the network's jitter. */
    int rateHeadroomPerSecond();

    /** The longest a gift waits for its slot before failing typed (nothing sent). */
    Duration rateMaxWait();

    /** The longest a spare call (notification, reconciliation read, recipient check) waits for what gifts leave. */
    Duration rateSpareMaxWait();
}
