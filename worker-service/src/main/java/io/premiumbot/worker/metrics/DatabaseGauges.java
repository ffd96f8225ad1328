package io.premiumbot.worker.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.worker.queue.WorkerConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Business gauges read from PostgreSQL, the truth, on a schedule into atomics: orders by status, money moved
 * per ledger reason, ledger drift, and what waits for someone (unmatched payments, Stars refunds not yet given back,
 * the oldest webhook replay guard). None of the reads depends on how much history there is: the totals are
 * kept by triggers as orders and money move ({@code order_status_counts}, {@code ledger_totals}), drift is the
 * short list {@link LedgerDriftCheck} maintains — which one replica at a time updates before the read — and the
 * waiting rows are read through partial indexes on their waiting status ({@code payments_unmatched},
 * {@code star_refunds_due}) or the oldest entry of an index ({@code processed_updates_received}). Every
 * replica reports the same values, so queries take {@code max()} across instances, never {@code sum()}. Label
 * values come from enums: the series count is fixed.
 */
@ApplicationScoped
public class DatabaseGauges {

    private static final String CURRENCY = "USDT";
    private static final double MICROS = 1_000_000d;

    private static final String ORDERS_BY_STATUS =
            "select status, sum(orders)::bigint as n from order_status_counts group by status";
    private static final String LEDGER_BY_REASON =
            "select reason, sum(amount_micros)::bigint as micros from ledger_totals group by reason";
    private static final String LEDGER_DRIFT =
            "select count(*) as users, coalesce(sum(abs(drift_micros)), 0)::bigint as micros from ledger_drift";
    private static final String WAITING = """
            select (select count(*) from payments where status = 'UNMATCHED') as unmatched,
                   (select coalesce(extract(epoch from now() - min(created_at)), 0)::float8
                      from payments where status = 'UNMATCHED') as unmatched_age,
                   (select count(*) from star_refunds where status = 'PENDING') as refunds,
                   (select coalesce(extract(epoch from now() - min(created_at)), 0)::float8
                      from star_refunds where status = 'PENDING') as refunds_age,
                   (select coalesce(extract(epoch from now() - min(received_at)), 0)::float8
                      from processed_updates) as updates_age""";

    private final Pool db;
    private final LedgerDriftCheck driftCheck;
    private final Map<OrderStatus, AtomicLong> orders = new EnumMap<>(OrderStatus.class);
    private final Map<LedgerReason, AtomicLong> ledgerMicros = new EnumMap<>(LedgerReason.class);
    private final AtomicLong driftUsers = new AtomicLong();
    private final AtomicLong driftMicros = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong unmatchedAgeSeconds = new AtomicLong();
    private final AtomicLong pendingRefunds = new AtomicLong();
    private final AtomicLong pendingRefundsAgeSeconds = new AtomicLong();
    private final AtomicLong processedUpdatesAgeSeconds = new AtomicLong();

    public DatabaseGauges(Pool db, LedgerDriftCheck driftCheck, MeterRegistry registry, WorkerConfig config) {
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
            Gauge.builder("premium.ledger.amount", micros, value -> value.get() / MICROS)
                    .description(
                            "Sum of all ledger entries by reason (credits positive, debits negative), from PostgreSQL")
                    .tag("reason", reason.name())
                    .tag("currency", CURRENCY)
                    .register(registry);
        }
        Gauge.builder("premium.ledger.drift.users", driftUsers, AtomicLong::get)
                .description("Users whose balance differs from the sum of their ledger entries (must be 0)")
                .register(registry);
        Gauge.builder("premium.ledger.drift.amount", driftMicros, value -> value.get() / MICROS)
                .description("Sum over users of |balance - sum of ledger entries| (must be 0)")
                .tag("currency", CURRENCY)
                .register(registry);
        gauge(
                registry,
                "premium.payments.unmatched",
                unmatched,
                "Incoming payments no payment request matched, waiting for an operator to assign them");
        gauge(
                registry,
                "premium.payments.unmatched.oldest.age.seconds",
                unmatchedAgeSeconds,
                "How long the oldest unmatched payment has waited (0 when none)");
        gauge(
                registry,
                "premium.star.refunds.pending",
                pendingRefunds,
                "Stars refunds not yet given back (PENDING in star_refunds)");
        gauge(
                registry,
                "premium.star.refunds.pending.oldest.age.seconds",
                pendingRefundsAgeSeconds,
                "How long the oldest pending Stars refund has waited (0 when none)");
        gauge(
                registry,
                "premium.processed.updates.oldest.age.seconds",
                processedUpdatesAgeSeconds,
                "Age of the oldest processed_updates row; above the retention when pruning falls behind");
        Gauge.builder(
                        "premium.processed.updates.retention.seconds",
                        config.retention().processedUpdates(),
                        Duration::toSeconds)
                .description("How long processed_updates rows are kept (WORKER_PROCESSED_UPDATES_RETENTION)")
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
    }

    @Scheduled(
            identity = "database-gauges",
            every = "${worker.schedule.database-metrics-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh();
    }

    /** Checks the ledger's new entries for drift (unless another replica is), then reads every gauge's value. */
    public Uni<Void> refresh() {
        return driftCheck
                .incremental()
                .flatMap(checked -> Uni.combine()
                        .all()
                        .unis(refreshOrders(), refreshLedger(), refreshDrift(), refreshWaiting())
                        .discardItems());
    }

    private Uni<Void> refreshOrders() {
        return db.query(ORDERS_BY_STATUS)
                .execute()
                .invoke(rows -> {
                    Map<OrderStatus, Long> seen = new EnumMap<>(OrderStatus.class);
                    for (Row row : rows) {
                        known(OrderStatus.class, row.getString("status"))
                                .ifPresent(status -> seen.put(status, row.getLong("n")));
                    }
                    orders.forEach((status, count) -> count.set(seen.getOrDefault(status, 0L)));
                })
                .replaceWithVoid();
    }

    private Uni<Void> refreshLedger() {
        return db.query(LEDGER_BY_REASON)
                .execute()
                .invoke(rows -> {
                    Map<LedgerReason, Long> seen = new EnumMap<>(LedgerReason.class);
                    for (Row row : rows) {
                        known(LedgerReason.class, row.getString("reason"))
                                .ifPresent(reason -> seen.put(reason, row.getLong("micros")));
                    }
                    ledgerMicros.forEach((reason, micros) -> micros.set(seen.getOrDefault(reason, 0L)));
                })
                .replaceWithVoid();
    }

    private Uni<Void> refreshDrift() {
        return db.query(LEDGER_DRIFT)
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    driftUsers.set(row.getLong("users"));
                    driftMicros.set(row.getLong("micros"));
                })
                .replaceWithVoid();
    }

    private Uni<Void> refreshWaiting() {
        return db.query(WAITING)
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    unmatched.set(row.getLong("unmatched"));
                    unmatchedAgeSeconds.set(row.getDouble("unmatched_age").longValue());
                    pendingRefunds.set(row.getLong("refunds"));
                    pendingRefundsAgeSeconds.set(row.getDouble("refunds_age").longValue());
                    processedUpdatesAgeSeconds.set(row.getDouble("updates_age").longValue());
                })
                .replaceWithVoid();
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
