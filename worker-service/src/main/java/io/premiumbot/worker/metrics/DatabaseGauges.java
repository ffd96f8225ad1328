package io.premiumbot.worker.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.order.OrderStatus;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Business gauges read from PostgreSQL, the truth, on a schedule into atomics: orders by status, money moved
 * per ledger reason, and ledger drift. None of the reads depends on how much history there is: the totals are
 * kept by triggers as orders and money move ({@code order_status_counts}, {@code ledger_totals}), and drift is the
 * short list {@link LedgerDriftCheck} maintains — which one replica at a time updates before the read. Every
 * replica reports the same values, so queries take {@code max()} across instances, never {@code sum()}. Label
 * values come from enums: the series count is fixed.
 */
@ApplicationScoped
public class DatabaseGauges {

    private static final String CURRENCY = "USDT";
    private static final double MICROS = 1_000_000d;

    private static final String ORDERS_BY_STATUS = "select status, sum(orders)::bigint as n from order_status_counts group by status";
    private static final String LEDGER_BY_REASON =
            "select reason, sum(amount_micros)::bigint as micros from ledger_totals group by reason";
    private static final String LEDGER_DRIFT =
            "select count(*) as users, coalesce(sum(abs(drift_micros)), 0)::bigint as micros from ledger_drift";

    private final Pool db;
    private final LedgerDriftCheck driftCheck;
    private final Map<OrderStatus, AtomicLong> orders = new EnumMap<>(OrderStatus.class);
    private final Map<LedgerReason, AtomicLong> ledgerMicros = new EnumMap<>(LedgerReason.class);
    private final AtomicLong driftUsers = new AtomicLong();
    private final AtomicLong driftMicros = new AtomicLong();

    public DatabaseGauges(Pool db, LedgerDriftCheck driftCheck, MeterRegistry registry) {
        this.db = db;
        this.driftCheck = driftCheck;
        for (OrderStatus status : OrderStatus.values()) {
            AtomicLong count = new AtomicLong();
            orders.put(status, count);
            Gauge.builder("premium.orders", count, AtomicLong::get)
                    .description("Orders by status, counted in PostgreSQL")
                    .tag("status", status.name())
                    .register(registry);
        }
        for (LedgerReason reason : LedgerReason.values()) {
            AtomicLong micros = new AtomicLong();
            ledgerMicros.put(reason, micros);
            Gauge.builder("premium.ledger.amount.usdt", micros, value -> value.get() / MICROS)
                    .description("Sum of all ledger entries by reason (credits positive, debits negative), from PostgreSQL")
                    .tag("reason", reason.name())
                    .tag("currency", CURRENCY)
                    .register(registry);
        }
        Gauge.builder("premium.ledger.drift.users", driftUsers, AtomicLong::get)
                .description("Users whose balance differs from the sum of their ledger entries (must be 0)")
                .register(registry);
        Gauge.builder("premium.ledger.drift.usdt", driftMicros, value -> value.get() / MICROS)
                .description("Sum over users of |balance - sum of ledger entries| (must be 0)")
                .tag("currency", CURRENCY)
                .register(registry);
    }

    @Scheduled(identity = "database-gauges", every = "${worker.schedule.database-metrics-every}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh();
    }

    /** Checks the ledger's new entries for drift (unless another replica is), then reads every gauge's value. */
    public Uni<Void> refresh() {
        return driftCheck.incremental()
                .flatMap(checked -> Uni.combine().all().unis(refreshOrders(), refreshLedger(), refreshDrift()).discardItems());
    }

    private Uni<Void> refreshOrders() {
        return db.query(ORDERS_BY_STATUS).execute().invoke(rows -> {
            Map<OrderStatus, Long> seen = new EnumMap<>(OrderStatus.class);
            for (Row row : rows) {
                known(OrderStatus.class, row.getString("status")).ifPresent(status -> seen.put(status, row.getLong("n")));
            }
            orders.forEach((status, count) -> count.set(seen.getOrDefault(status, 0L)));
        }).replaceWithVoid();
    }

    private Uni<Void> refreshLedger() {
        return db.query(LEDGER_BY_REASON).execute().invoke(rows -> {
            Map<LedgerReason, Long> seen = new EnumMap<>(LedgerReason.class);
            for (Row row : rows) {
                known(LedgerReason.class, row.getString("reason")).ifPresent(reason -> seen.put(reason, row.getLong("micros")));
            }
            ledgerMicros.forEach((reason, micros) -> micros.set(seen.getOrDefault(reason, 0L)));
        }).replaceWithVoid();
    }

    private Uni<Void> refreshDrift() {
        return db.query(LEDGER_DRIFT).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            driftUsers.set(row.getLong("users"));
            driftMicros.set(row.getLong("micros"));
        }).replaceWithVoid();
    }

    /** A value written by a newer release than this worker is left out rather than minting a label. */
    private static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
