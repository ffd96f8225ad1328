package io.premiumbot.api.sales;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * The gauge {@code premium_sales_star_price{currency="USD"}}: a Star's worth in USD as configured (SALES_USD_PER_STAR), so
 * Grafana's margin panel counts Stars at the same price as the console's sales page.
 */
@ApplicationScoped
public class StarPriceGauge {

    public StarPriceGauge(GlanceConfig config, MeterRegistry registry) {
        double price = config.starPrice().toBigDecimal().doubleValue();
        Gauge.builder("premium.sales.star.price", () -> price)
                .description("What one Star is counted at in the sales margin (SALES_USD_PER_STAR)")
                .tag("currency", "USD")
                .register(registry);
    }

    /** Made at start, so the gauge exists from the first scrape. */
    void atStart(@Observes Startup start) {}
}
