package io.premiumbot.api.support;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The api-service settings an operator sets (SPEC §10 env names in application.properties). */
public interface ApiConfig {

    @ConfigMapping(prefix = "telegram")
    interface Telegram {
        String botToken();

        String webhookSecret();

        String apiUrl();

        /** Calls per second toward Telegram, one budget for every replica of both services (shared-model's limiter). */
        int rateLimitPerSecond();

        /** Calls per second of the shared budget kept unused for jitter (read by the shared TelegramRateLimiter). */
        @WithDefault("1")
        int rateHeadroomPerSecond();
    }

    @ConfigMapping(prefix = "admin")
    interface Admin {
        String apiToken();
    }

    @ConfigMapping(prefix = "payments")
    interface Payments {
        /** How long a unique on-chain amount is held for one order or top-up. */
        Duration requestTtl();

        /** The shop's TRON address; without it on-chain payment isn't offered. */
        @WithName("receive-address")
        Optional<String> receiveAddress();
    }
}
