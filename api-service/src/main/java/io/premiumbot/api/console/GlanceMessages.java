package io.premiumbot.api.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The console's words for reading it at a glance (the home summary, the sales page, statuses, times), in English;
 * Chinese in {@code messages/glance_zh.properties}. Used as {@code {glance:key}}.
 */
@MessageBundle(value = "glance", locale = "en")
public interface GlanceMessages {

    @Message("Home")
    String navHome();

    @Message("Sales")
    String navSales();

    @Message("Today")
    String todayTitle();

    @Message("Orders paid")
    String ordersPaid();

    @Message("Paid in USDT")
    String usdtRevenue();

    @Message("Paid in Stars")
    String starsRevenue();

    @Message("Stars available")
    String starsAvailable();

    @Message("The worker has not read the bot's Star balance yet.")
    String starsUnreadable();

    @Message("Times are shown in {zone}.")
    String timesIn(String zone);

    @Message("today")
    String today();

    @Message("yesterday")
    String yesterday();

    @Message("All sales →")
    String allSales();

    @Message("{days} days")
    String lastDays(int days);

    @Message("{months} mo")
    String plan(int months);

    @Message("Stars spent on gifts")
    String starsSpent();

    @Message("Margin (USD)")
    String margin();

    @Message("Promo codes cost (USD)")
    String promoCost();

    @Message("Referral rewards paid (USDT)")
    String referralCost();

    @Message("Orders per day, by plan and currency")
    String chartOrders();

    @Message("USDT paid per day, by plan")
    String chartUsdt();

    @Message("Stars paid per day, by plan")
    String chartStars();

    @Message("Stars spent on gifts per day, by plan")
    String chartGifts();

    @Message("Margin per plan, on the orders delivered in the period (USD)")
    String chartMargin();

    @Message("What discounts and referrals cost (USD)")
    String chartCosts();

    @Message("From confirmation to gift")
    String chartFunnel();

    @Message("Promo codes on USDT orders")
    String costPromoUsdt();

    @Message("Promo codes on Stars orders ({stars} Stars)")
    String costPromoStars(long stars);

    @Message("Referral rewards")
    String costReferrals();

    @Message("Confirmations shown")
    String funnelShown();

    @Message("Paid")
    String funnelPaid();

    @Message("Delivered")
    String funnelDelivered();

    @Message(
            "Orders and money count the orders paid in each day ({zone}) and not refunded. Stars spent and the margin count the orders delivered: what their customers paid, less their gifts' Stars, a Star counted at {starPrice} USD (SALES_USD_PER_STAR). Promo codes cost what they took off; referral rewards are the REFERRAL credits of the ledger. The funnel follows the confirmations shown in the period.")
    String explain(String zone, String starPrice);

    @Message(
            "{#when status}{#is 'PENDING_PAYMENT'}Waiting for payment{#is 'PAID'}Paid, gift not sent yet{#is 'DELIVERING'}Sending the gift{#is 'DELIVERED'}Delivered{#is 'DELIVERY_UNKNOWN'}Delivery unclear{#is 'FAILED'}Failed{#is 'REFUNDED'}Refunded{#is 'EXPIRED'}Expired unpaid{#else}{status}{/when}")
    String orderStatus(String status);
}
