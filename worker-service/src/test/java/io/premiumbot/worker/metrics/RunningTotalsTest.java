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

    @Test
    void gaugesMatchAFullRecountAfterABurstOfLedgerActivity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(pool.submit(() -> {
                    long buyer = fixtures.userWithDeposit(50_000_000L);
                    String delivered = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
                    fixtures.update("update orders set status = 'DELIVERING' where id = ?", delivered);
                    fixtures.update("update orders set status = 'DELIVERED' where id = ?", delivered);
                    fixtures.paidOrder(buyer, buyer);
                    String unpaid = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
                    fixtures.update("update orders set status = 'EXPIRED' where id = ?", unpaid);
                    return null;
                }));
            }
            for (Future<?> done : burst) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        gauges.refresh().await().atMost(REFRESH);

        String metrics = scrape();
        for (LedgerReason reason : LedgerReason.values()) {
            long recount = Long.parseLong(fixtures.text(
                    "select coalesce(sum(amount_micros), 0) from ledger_entries where reason = ?", reason.name()));
            assertEquals(recount / 1_000_000d,
                    value(metrics, "premium_ledger_amount{currency=\"USDT\",reason=\"" + reason + "\"}"), 1e-6, reason.name());
        }
        for (OrderStatus status : OrderStatus.values()) {
            long recount = Long.parseLong(fixtures.text("select count(*) from orders where status = ?", status.name()));
            assertEquals(recount, (long) value(metrics, "premium_orders{status=\"" + status + "\"}"), status.name());
        }
        long drifting = Long.parseLong(fixtures.text("""
                select count(*) from users u
                where u.balance_micros <> coalesce((select sum(amount_micros) from ledger_entries e where e.user_id = u.telegram_id), 0)"""));
        assertEquals(drifting, (long) value(metrics, "premium_ledger_drift_users"));
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
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)( # .*)?$").matcher(metrics);
        assertTrue(matcher.find(), () -> "no sample " + series);
        return Double.parseDouble(matcher.group(1));
    }
}
