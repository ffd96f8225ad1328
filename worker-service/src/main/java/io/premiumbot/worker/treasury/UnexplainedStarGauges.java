package io.premiumbot.worker.treasury;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.treasury.StarTransactionClass;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Star transactions our records don't explain and no operator acknowledged yet, by class and direction, read from
 * PostgreSQL (a partial index holds just those rows) after every import run and with the other business gauges (an
 * acknowledgement made in the console shows at once). Registered at start, so the series
 * exist from the first scrape; every replica reports the same values (queries take {@code max()}).
 */
@Startup
@ApplicationScoped
public class UnexplainedStarGauges {

    public enum Direction {
        IN,
        OUT
    }

    private static final String UNEXPLAINED = """
            select class, direction, count(*) as n, coalesce(sum(stars), 0)::bigint as stars from star_transactions
            where acknowledged_at is null and class not in ('CUSTOMER_PAYMENT', 'TOP_UP', 'GIFT', 'REFUND')
            group by class, direction""";

    private final Pool db;
    private final Map<StarTransactionClass, Map<Direction, AtomicLong>> transactions =
            new EnumMap<>(StarTransactionClass.class);
    private final Map<Direction, AtomicLong> stars = new EnumMap<>(Direction.class);

    public UnexplainedStarGauges(Pool db, MeterRegistry registry) {
        this.db = db;
        for (StarTransactionClass kind : StarTransactionClass.unexplained()) {
            Map<Direction, AtomicLong> byDirection = new EnumMap<>(Direction.class);
            for (Direction direction : Direction.values()) {
                AtomicLong count = new AtomicLong();
                byDirection.put(direction, count);
                Gauge.builder("premium.stars.unexplained.transactions", count, AtomicLong::get)
                        .description(
                                "Star transactions our orders, top-ups and refunds don't explain, not acknowledged")
                        .tag("class", kind.name().toLowerCase(Locale.ROOT))
                        .tag("direction", direction.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
            transactions.put(kind, byDirection);
        }
        for (Direction direction : Direction.values()) {
            AtomicLong sum = new AtomicLong();
            stars.put(direction, sum);
            Gauge.builder("premium.stars.unexplained.stars", sum, AtomicLong::get)
                    .description("Stars moved by the unexplained, unacknowledged Star transactions")
                    .tag("direction", direction.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    @Scheduled(
            identity = "unexplained-star-gauges",
            every = "${worker.schedule.database-metrics-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh();
    }

    public Uni<Void> refresh() {
        return db.query(UNEXPLAINED)
                .execute()
                .invoke(rows -> {
                    Map<StarTransactionClass, Map<Direction, Long>> counts = new EnumMap<>(StarTransactionClass.class);
                    Map<Direction, Long> sums = new EnumMap<>(Direction.class);
                    for (Row row : rows) {
                        StarTransactionClass kind = StarTransactionClass.valueOf(row.getString("class"));
                        Direction direction = Direction.valueOf(row.getString("direction"));
                        counts.computeIfAbsent(kind, k -> new EnumMap<>(Direction.class))
                                .put(direction, row.getLong("n"));
                        sums.merge(direction, row.getLong("stars"), Long::sum);
                    }
                    transactions.forEach((kind, byDirection) -> byDirection.forEach((direction, value) ->
                            value.set(counts.getOrDefault(kind, Map.of()).getOrDefault(direction, 0L))));
                    stars.forEach((direction, value) -> value.set(sums.getOrDefault(direction, 0L)));
                })
                .replaceWithVoid();
    }
}
