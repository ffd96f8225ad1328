package io.premiumbot.api.payments;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.order.Months;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * The gauge {@code premium_payment_amounts_free{months}}: how many of the {@link PayAmounts#AMOUNTS_PER_BASE} amounts
 * above each plan's price nobody holds now (open, or in the late-payment quarantine), read from PostgreSQL through the
 * exclusion constraint's GiST index, so the cost follows what is held now, not the history. An alert fires well
 * before a price runs out. One series per plan (the label comes from {@link Months}); NaN until the first count.
 * Every replica reports the same value: queries take {@code max()}.
 */
@ApplicationScoped
public class FreePayAmounts {

    // at a given moment one request at most holds an amount (payment_requests_amount_held_once): rows are amounts
    private static final String HELD_PER_PRICE = """
            select p.months,
                   (select count(*) from payment_requests r
                    where int8range(r.amount_micros, r.amount_micros, '[]')
                              && int8range(p.price_micros + 1, p.price_micros + $1, '[]')
                      and tstzrange(r.created_at, r.held_until, '[)') && tstzrange(now(), now(), '[]')) as held
            from prices p""";

    private static final long UNKNOWN = -1;

    private final Pool db;
    private final Map<Months, AtomicLong> free = new EnumMap<>(Months.class);

    public FreePayAmounts(Pool db, MeterRegistry registry) {
        this.db = db;
        for (Months months : Months.values()) {
            AtomicLong amounts = new AtomicLong(UNKNOWN);
            free.put(months, amounts);
            Gauge.builder(
                            "premium.payment.amounts.free",
                            amounts,
                            value -> value.get() == UNKNOWN ? Double.NaN : value.get())
                    .description("Unique on-chain amounts above the plan's price nobody holds now, of "
                            + PayAmounts.AMOUNTS_PER_BASE + " (NaN until counted)")
                    .tag("months", Integer.toString(months.count()))
                    .register(registry);
        }
    }

    /** Made at start, so its gauges exist from the start (NaN until counted), not from the first scheduled count. */
    void atStart(@Observes Startup start) {}

    @Scheduled(
            identity = "free-pay-amounts",
            every = "${payments.free-amounts-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        return refresh();
    }

    /** Counts the free amounts of every plan's price now. */
    public Uni<Void> refresh() {
        return db.preparedQuery(HELD_PER_PRICE)
                .execute(Tuple.of((long) PayAmounts.AMOUNTS_PER_BASE))
                .invoke(rows -> {
                    Map<Months, Long> held = new HashMap<>();
                    for (Row row : rows) {
                        Months.of(row.getInteger("months")).ifPresent(months -> held.put(months, row.getLong("held")));
                    }
                    free.forEach((months, amounts) -> amounts.set(
                            held.containsKey(months) ? PayAmounts.AMOUNTS_PER_BASE - held.get(months) : UNKNOWN));
                })
                .replaceWithVoid();
    }

    /** The last count for a plan, or -1 before the first (for tests and the console). */
    public long free(Months months) {
        return free.get(months).get();
    }
}
