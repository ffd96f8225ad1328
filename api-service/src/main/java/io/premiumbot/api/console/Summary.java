package io.premiumbot.api.console;

import io.premiumbot.api.sales.Sales;
import io.premiumbot.model.money.Money;
import io.quarkus.qute.TemplateData;

/** The top of the home page: today's sales in the console's time zone, and the Stars available (null: unknown). */
@TemplateData
public record Summary(
        long orders, long usdtOrders, long starsOrders, Money usdt, long stars, Long starsAvailable, String zone) {

    static Summary of(Sales today, Long starsAvailable) {
        return new Summary(
                today.orders(),
                today.orders(Sales.Currency.USDT),
                today.orders(Sales.Currency.STARS),
                today.usdtRevenue(),
                today.starsRevenue(),
                starsAvailable,
                today.period().zone().getId());
    }
}
