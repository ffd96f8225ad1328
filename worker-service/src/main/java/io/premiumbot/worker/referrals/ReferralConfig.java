package io.premiumbot.worker.referrals;

import java.math.BigDecimal;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What a referrer earns: a share of each delivered order paid in USDT by a customer they brought, capped per month. */
@ConfigMapping(prefix = "referrals")
public interface ReferralConfig {

    /** The referrer's share of what the customer paid, in percent (up to 2 decimals); 0 turns referrals off. */
    @WithDefault("0")
    BigDecimal percent();

    /** The most one referrer is credited per calendar month (UTC), in USDT; empty for no cap. */
    Optional<String> monthlyCap();

    /** How often owed rewards are settled ({@code off} disables). */
    String every();

    /** Rewards settled per transaction. */
    @WithDefault("50")
    int batchSize();
}
