package io.premiumbot.worker.treasury;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.treasury.StarTreasury;
import io.premiumbot.model.treasury.StarTreasuryConfig;
import io.premiumbot.model.treasury.StarTreasuryNumbers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.SafeVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * The Star treasury as gauges, read from PostgreSQL on the database-metrics schedule: balance (as last read from
 * Telegram), reserved, available (balance - reserved - safety margin: what may still be sold) and the runway in hours
 * at the last 24 hours' gift spend. NaN until the balance was first read. Every replica reports the same values:
 * queries take {@code max()}.
 */
@ApplicationScoped
public class TreasuryGauges {

    private final StarTreasury treasury;
    private final long margin;
    private final AtomicReference<StarTreasuryNumbers> last = new AtomicReference<>();

    public TreasuryGauges(StarTreasury treasury, StarTreasuryConfig config, MeterRegistry registry) {
        this.treasury = treasury;
        this.margin = config.safetyMargin();
        gauge(registry, "premium.stars.balance", "The bot's Stars balance at the worker's last read", n -> n.balance());
        gauge(
                registry,
                "premium.stars.reserved",
                "Stars promised: gifts of paid orders, unpaid orders' holds, spent since the last read",
                StarTreasuryNumbers::reserved);
        gauge(
                registry,
                "premium.stars.available",
                "Stars that may still be sold: balance - reserved - safety margin",
                n -> n.available(margin));
        gauge(
                registry,
                "premium.stars.runway.hours",
                "Hours the available Stars last at the last 24 hours' gift spend (+Inf with no gifts)",
                n -> n.runwayHours(margin));
    }

    private void gauge(
            MeterRegistry registry, String name, String description, ToDoubleFunction<StarTreasuryNumbers> value) {
        Gauge.builder(name, last, numbers -> {
                    StarTreasuryNumbers now = numbers.get();
                    return now == null || !now.known() ? Double.NaN : value.applyAsDouble(now);
                })
                .description(description)
                .register(registry);
    }

    /** Made at start, so its gauges exist from the first scrape (NaN until read). */
    void atStart(@Observes Startup start) {}

    @Scheduled(
            identity = "treasury-gauges",
            every = "${worker.schedule.database-metrics-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    @SafeVertxContext
    Uni<Void> onSchedule() {
        return refresh();
    }

    public Uni<Void> refresh() {
        return Panache.withSession(treasury::numbers).invoke(last::set).replaceWithVoid();
    }

    /** The numbers of the last refresh, or null before it (for tests). */
    public StarTreasuryNumbers last() {
        return last.get();
    }
}
