package io.premiumbot.api.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The api-service settings an operator sets (env names in application.properties; the contracts are in docs/contracts.md). */
public interface ApiConfig {

    @ConfigMapping(prefix = "telegram")
    interface Telegram {
        String botToken();

        String webhookSecret();

        String apiUrl();

        /**
         * The public HTTPS address Telegram posts updates to ({@code https://<host>/telegram/webhook}); without it
         * the operator's {@code POST /admin/telegram/setup} answers 409.
         */
        Optional<String> webhookUrl();

        /** How many connections Telegram may open to the webhook at once (1-100). */
        int webhookMaxConnections();

        /** The bot's @username without the @, for its referral links ({@code https://t.me/<it>?start=r<id>}). */
        Optional<String> botUsername();

        // the budget toward Telegram (telegram.rate-*) is shared-model's TelegramBudgetConfig
    }

    @ConfigMapping(prefix = "admin")
    interface Admin {
        /** The shared token of scripts: an admin named {@code api-token} in the audit log. */
        String apiToken();

        /** Named operators, {@code name:role:sha256hex} separated by commas; the tokens themselves are never configured. */
        Optional<String> operators();

        /** The largest credit or debit an operator may make by hand in one adjustment, in USDT (e.g. 10000.000000). */
        String adjustmentLimit();
    }

    @ConfigMapping(prefix = "console")
    interface Console {
        /** How long a console sign-in lasts. */
        Duration sessionTtl();

        /** Whether the session cookie is {@code Secure} (HTTPS or localhost only); off only for plain-HTTP tests. */
        boolean secureCookie();
    }

    @ConfigMapping(prefix = "payments")
    interface Payments {
        /** How long a unique on-chain amount is held for one order or top-up. */
        Duration requestTtl();

        /** How long a closed request's amount stays out of circulation, so a late payment still finds its payer. */
        Duration quarantine();

        /** Open on-chain requests one customer may hold at once. */
        int maxOpenRequests();

        /**
         * Unpaid on-chain requests whose amounts one customer may hold at once: open, or expired and still in the
         * quarantine. Bounds how many of a price's amounts throwaway accounts can keep out of circulation.
         */
        int maxUnpaidRequests();

        /** How often the free amounts of each price are counted for the gauge ({@code off} disables). */
        String freeAmountsEvery();

        /** The shop's TRON address; without it on-chain payment isn't offered. */
        @WithName("receive-address")
        Optional<String> receiveAddress();
    }

    /** What unpaid orders may hold of the bot's Stars (the safety margin is shared-model's StarTreasuryConfig). */
    @ConfigMapping(prefix = "stars.unpaid-holds")
    interface StarHolds {
        /** Stars one customer's unpaid orders may hold at once; a further unpaid order is let through without a hold. */
        long perCustomer();

        /** Percent of the balance all unpaid orders together may hold. */
        int sharePercent();
    }

    @ConfigMapping(prefix = "referrals")
    interface Referrals {
        /**
         * The referrer's share of a referred customer's delivered USDT order, in percent; 0 (the default) turns referrals
         * off: no referrer is recorded and {@code /referrals} says so. The worker reads the same setting to pay.
         */
        @WithDefault("0")
        BigDecimal percent();

        /** The most one referrer earns per calendar month (UTC), in USDT, as the worker applies it; empty for no cap. */
        Optional<String> monthlyCap();

        default boolean enabled() {
            return percent().signum() > 0;
        }
    }

    @ConfigMapping(prefix = "shop")
    interface Shop {
        /**
         * What the bot takes, comma-separated: {@code usdt,stars} (both), {@code stars} (Stars-only: Telegram's terms
         * for digital goods in bots) or {@code usdt}. Anything else stops the service at start.
         */
        @WithDefault("usdt,stars")
        String paymentMethods();

        StarsGuard starsGuard();

        /**
         * The chargeback guard on buyers without a delivered order yet: a Stars purchase charged back at the app store is
         * taken from the bot's balance after the gift went out. Off by default.
         */
        interface StarsGuard {
            /** The most Stars such a buyer may buy per rolling 24 hours; 0 for no limit. */
            @WithDefault("0")
            int dailyLimit();

            /** How long such a buyer's first Stars order waits before it is gifted; 0 for no hold. */
            @WithDefault("0S")
            Duration firstOrderHold();
        }
    }
}
