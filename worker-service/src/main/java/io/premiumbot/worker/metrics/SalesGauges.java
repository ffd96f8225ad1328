package io.premiumbot.worker.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Sales as running totals for Grafana's sales panels, read from the totals PostgreSQL keeps as orders move
 * ({@code sales_totals}, {@code confirmation_totals}: a few rows whatever the history). Labels: the plan (3, 6, 12
 * months) and the currency paid (USDT, or XTR for Stars): 6 series per metric, registered at start. Refunded orders
 * are taken back out, as on the console's sales page; Grafana's {@code delta()} over a window gives that window's sales.
 * Every replica reports the same values: queries take {@code max()}.
 */
@ApplicationScoped
public class SalesGauges {

    private static final int[] PLANS = {3, 6, 12};
    private static final String[] CURRENCIES = {"USDT", "XTR"};
    private static final double MICROS = 1_000_000d;

    private static final String SALES = """
            select months, currency, sum(paid_orders)::bigint as paid_orders, sum(paid_amount)::bigint as paid_amount,
                   sum(discounts)::bigint as discounts, sum(delivered_orders)::bigint as delivered_orders,
                   sum(gift_stars)::bigint as gift_stars
            from sales_totals group by months, currency""";
    private static final String CONFIRMATIONS =
            "select coalesce(sum(shown), 0)::bigint as shown from confirmation_totals";

    /** One plan and currency's totals. */
    private record Totals(
            AtomicLong paidOrders,
            AtomicLong paidAmount,
            AtomicLong discounts,
            AtomicLong deliveredOrders,
            AtomicLong giftStars) {

        Totals() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private final Pool db;
    private final Map<String, Totals> totals = new HashMap<>();
    private final AtomicLong confirmations = new AtomicLong();

    public SalesGauges(Pool db, MeterRegistry registry) {
        this.db = db;
        for (int months : PLANS) {
            for (String currency : CURRENCIES) {
                Totals t = new Totals();
                totals.put(key(months, currency), t);
                // USDT in units, Stars whole: the amount's unit is its currency label
                double unit = currency.equals("USDT") ? MICROS : 1d;
                gauge(
                        registry,
                        "premium.sales.orders",
                        t.paidOrders(),
                        1d,
                        months,
                        currency,
                        "Orders paid and not refunded, since the start");
                gauge(
                        registry,
                        "premium.sales.amount",
                        t.paidAmount(),
                        unit,
                        months,
                        currency,
                        "What customers paid for orders not refunded (USDT, or Stars as XTR), since the start");
                gauge(
                        registry,
                        "premium.sales.discounts",
                        t.discounts(),
                        unit,
                        months,
                        currency,
                        "What promo codes took off orders paid and not refunded, since the start");
                gauge(
                        registry,
                        "premium.sales.delivered.orders",
                        t.deliveredOrders(),
                        1d,
                        months,
                        currency,
                        "Orders delivered, since the start");
                gauge(
                        registry,
                        "premium.sales.gift.stars",
                        t.giftStars(),
                        1d,
                        months,
                        currency,
                        "Stars the bot spent on delivered gifts, since the start");
            }
        }
        Gauge.builder("premium.purchase.confirmations.shown", confirmations, AtomicLong::get)
                .description(
                        "Purchase confirmations shown to customers, since the start (the sales funnel's first step)")
                .register(registry);
    }

    /** Made at start, so its gauges exist from the first scrape (0 until the first read). */
    void atStart(@Observes Startup start) {}

    private static void gauge(
            MeterRegistry registry,
            String name,
            AtomicLong value,
            double unit,
            int months,
            String currency,
            String description) {
        Gauge.builder(name, value, v -> v.get() / unit)
                .description(description)
                .tag("months", Integer.toString(months))
                .tag("currency", currency)
                .register(registry);
    }

    private static String key(int months, String currency) {
        return months + ":" + currency;
    }

    @Scheduled(
            identity = "sales-gauges",
            every = "${worker.schedule.database-metrics-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh();
    }

    public Uni<Void> refresh() {
        return db.query(SALES)
                .execute()
                .invoke(rows -> {
                    for (Row row : rows) {
                        Totals t = totals.get(key(row.getInteger("months"), row.getString("currency")));
                        if (t != null) {
                            t.paidOrders().set(row.getLong("paid_orders"));
                            t.paidAmount().set(row.getLong("paid_amount"));
                            t.discounts().set(row.getLong("discounts"));
                            t.deliveredOrders().set(row.getLong("delivered_orders"));
                            t.giftStars().set(row.getLong("gift_stars"));
                        }
                    }
                })
                .flatMap(rows -> db.query(CONFIRMATIONS).execute())
                .invoke(rows -> confirmations.set(rows.iterator().next().getLong("shown")))
                .replaceWithVoid();
    }
}
