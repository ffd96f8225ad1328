package io.premiumbot.api.sales;

import java.time.ZoneId;

import io.premiumbot.model.money.Money;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the console reads sales: the day boundaries and times it shows, and what a Star costs the shop. */
@ConfigMapping(prefix = "glance")
public interface GlanceConfig {

    /** The console's time zone (CONSOLE_TIME_ZONE): its days start at midnight there and its times are shown there. */
    @WithDefault("UTC")
    ZoneId timeZone();

    /**
     * What one Star costs the shop in USD (SALES_USD_PER_STAR), up to 6 decimals: a gift's cost and a Stars payment's
     * worth in the margin.
     */
    @WithDefault("0.015")
    String usdPerStar();

    default Money starPrice() {
        Money price = Money.parse(usdPerStar().strip());
        if (price.isNegative()) {
            throw new IllegalArgumentException("SALES_USD_PER_STAR must not be negative");
        }
        return price;
    }
}
