package io.premiumbot.api.console;

import java.util.ArrayList;
import java.util.List;

import io.premiumbot.api.sales.Sales;
import io.premiumbot.api.sales.Sales.Currency;
import io.premiumbot.api.sales.Sales.Margin;
import io.premiumbot.model.money.Money;
import io.quarkus.qute.TemplateData;

/** The sales page: a period's exact figures and the charts drawn from them, in the operator's language. */
@TemplateData
public record SalesView(
        int days,
        String zone,
        String starPrice,
        long orders,
        long usdtOrders,
        long starsOrders,
        Money usdtRevenue,
        long starsRevenue,
        long starsSpent,
        Money margin,
        Money promoCost,
        Money referralCost,
        Sales.Funnel funnel,
        Chart.Columns ordersChart,
        Chart.Columns usdtChart,
        Chart.Columns starsChart,
        Chart.Columns giftsChart,
        Chart.Bars marginChart,
        Chart.Bars costsChart,
        Chart.Bars funnelChart) {

    private static final int[] PLANS = {3, 6, 12};
    private static final String[] USDT_COLORS = {"#9ec5e8", "#4a90d9", "#1f5a99"};
    private static final String[] STARS_COLORS = {"#f6d58e", "#f0b429", "#b7791f"};
    private static final String GOOD = "#3f9a56";
    private static final String BAD = "#c2453d";

    static SalesView of(Sales sales, GlanceMessages words) {
        var days = sales.period().dates();
        List<Chart.Series> orders = new ArrayList<>();
        List<Chart.Series> usdt = new ArrayList<>();
        List<Chart.Series> stars = new ArrayList<>();
        List<Chart.Series> gifts = new ArrayList<>();
        for (int i = 0; i < PLANS.length; i++) {
            int months = PLANS[i];
            String plan = words.plan(months);
            orders.add(new Chart.Series(
                    plan + " · USDT", USDT_COLORS[i], sales.daily(Currency.USDT, months, Sales.Paid::orders)));
            usdt.add(new Chart.Series(plan, USDT_COLORS[i], sales.daily(Currency.USDT, months, Sales.Paid::revenue)));
            stars.add(
                    new Chart.Series(plan, STARS_COLORS[i], sales.daily(Currency.STARS, months, Sales.Paid::revenue)));
            gifts.add(new Chart.Series(plan, STARS_COLORS[i], sales.starsSpent(months)));
        }
        for (int i = 0; i < PLANS.length; i++) {
            int months = PLANS[i];
            orders.add(new Chart.Series(
                    words.plan(months) + " · Stars",
                    STARS_COLORS[i],
                    sales.daily(Currency.STARS, months, Sales.Paid::orders)));
        }
        List<Chart.Measure> margins = new ArrayList<>();
        for (Margin m : sales.margins()) {
            margins.add(new Chart.Measure(
                    words.plan(m.months()),
                    m.margin().plain(),
                    m.margin().micros(),
                    m.margin().isNegative() ? BAD : GOOD));
        }
        Money promoUsdt = sales.usdtDiscounts();
        Money promoStars = sales.worth(sales.starsDiscounts());
        List<Chart.Measure> costs = List.of(
                new Chart.Measure(words.costPromoUsdt(), promoUsdt.plain(), promoUsdt.micros(), BAD),
                new Chart.Measure(
                        words.costPromoStars(sales.starsDiscounts()), promoStars.plain(), promoStars.micros(), BAD),
                new Chart.Measure(
                        words.costReferrals(),
                        sales.referralCost().plain(),
                        sales.referralCost().micros(),
                        BAD));
        Sales.Funnel funnel = sales.funnel();
        List<Chart.Measure> steps = List.of(
                new Chart.Measure(words.funnelShown(), Long.toString(funnel.shown()), funnel.shown(), USDT_COLORS[0]),
                new Chart.Measure(
                        words.funnelPaid(), share(funnel.paid(), funnel.shown()), funnel.paid(), USDT_COLORS[1]),
                new Chart.Measure(
                        words.funnelDelivered(),
                        share(funnel.delivered(), funnel.shown()),
                        funnel.delivered(),
                        USDT_COLORS[2]));
        return new SalesView(
                sales.period().days(),
                sales.period().zone().getId(),
                sales.starPrice().toBigDecimal().stripTrailingZeros().toPlainString(),
                sales.orders(),
                sales.orders(Currency.USDT),
                sales.orders(Currency.STARS),
                sales.usdtRevenue(),
                sales.starsRevenue(),
                sales.starsSpent(),
                sales.margin(),
                sales.promoCost(),
                sales.referralCost(),
                funnel,
                Chart.columns("chart-orders", words.chartOrders(), days, orders, 0),
                Chart.columns("chart-usdt", words.chartUsdt(), days, usdt, 6),
                Chart.columns("chart-stars", words.chartStars(), days, stars, 0),
                Chart.columns("chart-gifts", words.chartGifts(), days, gifts, 0),
                Chart.bars("chart-margin", words.chartMargin(), margins),
                Chart.bars("chart-costs", words.chartCosts(), costs),
                Chart.bars("chart-funnel", words.chartFunnel(), steps));
    }

    /** {@code part} and its share of {@code whole} in whole percent, rounded down: "12 (40%)". */
    private static String share(long part, long whole) {
        return whole == 0 ? Long.toString(part) : part + " (" + (part * 100 / whole) + "%)";
    }
}
