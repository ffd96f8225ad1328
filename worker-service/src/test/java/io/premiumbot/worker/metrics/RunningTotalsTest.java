package io.premiumbot.worker.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The business gauges come from totals kept as money and orders move, and agree with a recount of everything. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RunningTotalsTest {

    private static final Duration REFRESH = Duration.ofSeconds(10);

    @Inject
    Fixtures fixtures;

    @Inject
    DatabaseGauges gauges;

    @Inject
    LedgerDriftCheck driftCheck;

    @Inject
    DataSource db;

    /** Every user whose balance differs from the sum of their entries, recounted from the whole ledger. */
    private static final String RECOUNT = """
            select coalesce(string_agg(u.telegram_id || '=' || (u.balance_micros - coalesce(l.total, 0)), ',' order by u.telegram_id), '')
            from users u left join (select user_id, sum(amount_micros) as total from ledger_entries group by user_id) l
                   on l.user_id = u.telegram_id
            where u.balance_micros <> coalesce(l.total, 0)""";

    private static final String LISTED = """
            select coalesce(string_agg(user_id || '=' || drift_micros, ',' order by user_id), '') from ledger_drift""";

    @Test
    void gaugesMatchAFullRecountAfterABurstOfLedgerActivity() throws Exception {
        List<Long> chainBroken = new ArrayList<>();
        List<Long> behindTheBalance = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int task = i;
                burst.add(pool.submit(() -> {
                    long buyer = fixtures.userWithDeposit(50_000_000L);
                    String delivered = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
                    fixtures.update("update orders set status = 'DELIVERING' where id = ?", delivered);
                    fixtures.update("update orders set status = 'DELIVERED' where id = ?", delivered);
                    fixtures.paidOrder(buyer, buyer);
                    String unpaid = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
                    fixtures.update("update orders set status = 'EXPIRED' where id = ?", unpaid);
                    long balance = fixtures.balance(buyer);
                    if (task % 10
                            == 3) { // drift in the middle of the burst: +1 USDT booked, +2 in balance_after; a usual
                        // entry on top
                        fixtures.entryBreakingTheChain(buyer, 1_000_000L, balance + 2_000_000L, "break:" + buyer);
                        fixtures.entry(buyer, 500_000L, "after-break:" + buyer);
                        synchronized (chainBroken) {
                            chainBroken.add(buyer);
                        }
                    } else if (task % 10 == 7) { // an entry of +2 USDT whose balance never moved
                        fixtures.entryBehindTheBalancesBack(buyer, 2_000_000L, balance + 2_000_000L, "stray:" + buyer);
                        synchronized (behindTheBalance) {
                            behindTheBalance.add(buyer);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : burst) {
                done.get();
            }
            pool.shutdown();

            gauges.refresh().await().atMost(REFRESH);

            String recount = fixtures.text(RECOUNT);
            assertEquals(
                    recount,
                    fixtures.text(LISTED),
                    "the incremental check lists exactly the users a full recount finds");
            for (long user : chainBroken) {
                assertTrue(
                        recount.contains(user + "=1000000"),
                        () -> "a broken chain drifts by its missing amount: " + recount);
            }
            for (long user : behindTheBalance) {
                assertTrue(
                        recount.contains(user + "=-2000000"), () -> "an entry without its balance drifts: " + recount);
            }
            String metrics = scrape();
            for (LedgerReason reason : LedgerReason.values()) {
                long sum = Long.parseLong(fixtures.text(
                        "select coalesce(sum(amount_micros), 0) from ledger_entries where reason = ?", reason.name()));
                assertEquals(
                        sum / 1_000_000d,
                        value(metrics, "premium_ledger_amount{currency=\"USDT\",reason=\"" + reason + "\"}"),
                        1e-6,
                        reason.name());
            }
            for (OrderStatus status : OrderStatus.values()) {
                long count =
                        Long.parseLong(fixtures.text("select count(*) from orders where status = ?", status.name()));
                assertEquals(count, (long) value(metrics, "premium_orders{status=\"" + status + "\"}"), status.name());
            }
            long drifting = recount.isEmpty() ? 0 : recount.split(",").length;
            assertEquals(drifting, (long) value(metrics, "premium_ledger_drift_users"));

            driftCheck.full().await().atMost(REFRESH);
            assertEquals(
                    recount,
                    fixtures.text(LISTED),
                    "the full recount, run on demand, agrees with the incremental list");
        } finally {
            pool.shutdownNow();
            for (long user :
                    chainBroken) { // book the missing +1 USDT without moving the chain's balance: sums agree again
                long balance = fixtures.balance(user);
                fixtures.entryBreakingTheChain(user, 1_000_000L, balance, "mend-break:" + user);
            }
            for (long user : behindTheBalance) { // the balance catches up with its entry
                fixtures.moveBalanceBehindTheLedgersBack(user, 2_000_000L);
            }
            driftCheck.full().await().atMost(REFRESH);
        }
        assertEquals("", fixtures.text(LISTED), "mended: nothing left listed");
    }

    @Test
    void aChainBrokenBehindTheTriggersBackIsFoundThoughTheBalanceMatchesTheLatestEntry() {
        long user = fixtures.userWithDeposit(5_000_000L);
        gauges.refresh().await().atMost(REFRESH);
        double before = value(scrape(), "premium_ledger_drift_users");

        // +1 USDT booked but balance_after 8 (should be 6): balance 8 = the latest entry's balance_after, Σ amount 6
        fixtures.entryBreakingTheChain(user, 1_000_000L, 8_000_000L, "break:" + user);
        try {
            gauges.refresh().await().atMost(REFRESH);
            assertEquals(before + 1, value(scrape(), "premium_ledger_drift_users"));
            assertEquals(
                    user + "=2000000",
                    fixtures.text("select user_id || '=' || drift_micros from ledger_drift where user_id = ?", user));

            fixtures.entry(user, 1_000_000L, "after-break:" + user);
            gauges.refresh().await().atMost(REFRESH);
            assertEquals(
                    before + 1,
                    value(scrape(), "premium_ledger_drift_users"),
                    "a usual entry on top of the break continues the chain but does not mend the sum");
        } finally {
            fixtures.entryBreakingTheChain(user, 2_000_000L, fixtures.balance(user), "mend:" + user);
        }
        gauges.refresh().await().atMost(REFRESH);
        assertEquals(before, value(scrape(), "premium_ledger_drift_users"));
    }

    @Test
    void anEntryWithoutItsBalanceIsFoundByTheNextIncrementalCheckAndClearedWhenMended() {
        long user = fixtures.userWithDeposit(5_000_000L);
        gauges.refresh().await().atMost(REFRESH);
        double before = value(scrape(), "premium_ledger_drift_users");

        fixtures.entryBehindTheBalancesBack(user, 2_000_000L, 7_000_000L, "stray:" + user);
        gauges.refresh().await().atMost(REFRESH);
        String metrics = scrape();
        assertEquals(before + 1, value(metrics, "premium_ledger_drift_users"));

        fixtures.update("""
                insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key)
                values (?, -2000000, 5000000, 'ADJUSTMENT', 'mend', ?)""", user, "mend:" + user);
        gauges.refresh().await().atMost(REFRESH);
        assertEquals(before, value(scrape(), "premium_ledger_drift_users"));
    }

    @Test
    void whileAnotherReplicaHoldsTheCheckThisOneSkipsItAndServesTheLastValue() throws Exception {
        gauges.refresh().await().atMost(REFRESH);
        double last = value(scrape(), "premium_ledger_drift_users");
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LedgerDriftCheck.LOCK_KEY);
                lock.execute();
            }
            assertEquals(-1L, driftCheck.incremental().await().atMost(REFRESH));
            gauges.refresh().await().atMost(REFRESH);
            assertEquals(last, value(scrape(), "premium_ledger_drift_users"));
            other.rollback();
        }
        assertTrue(driftCheck.incremental().await().atMost(REFRESH) >= 0, "the check runs again once the lock is free");
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)( # .*)?$")
                .matcher(metrics);
        assertTrue(matcher.find(), () -> "no sample " + series);
        return Double.parseDouble(matcher.group(1));
    }
}
