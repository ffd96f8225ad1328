package io.premiumbot.model.treasury;

import io.smallrye.config.ConfigMapping;

/**
 * The Stars the shop never sells, read by both services (api-service refuses purchases with it, the worker reports
 * what is available with it): env name and default in each one's application.properties, kept equal there.
 */
@ConfigMapping(prefix = "stars.treasury")
public interface StarTreasuryConfig {

    /** Stars kept back from sale: a buffer for chargebacks and withdrawals the next balance read hasn't seen yet. */
    long safetyMargin();
}
