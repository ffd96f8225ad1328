package io.premiumbot.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.metrics.DatabaseGauges;
import io.premiumbot.worker.metrics.LedgerDriftCheck;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The worker's business and pipeline metrics as Prometheus scrapes them. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration REFRESH = Duration.ofSeconds(10);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    DatabaseGauges gauges;

    @Inject
    LedgerDriftCheck driftCheck;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the one sample whose name and labels are exactly {@code series}. */
    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)( # .*)?$")
                .matcher(metrics);
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        assertTrue(
                matcher.find(),
                () -> "no sample " + series + " among "
                        + metrics.lines().filter(line -> line.startsWith(name)).toList());
        return Double.parseDouble(matcher.group(1));
    }

    private long countInDatabase(String sql) {
        return Long.parseLong(fixtures.text(sql));
    }

    private String deliveredOrder() {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        return orderId;
    }

    @Test
    void ordersByStatusAreCountedInTheDatabase() {
        deliveredOrder();
        gauges.refresh().await().atMost(REFRESH);

        String metrics = scrape();
        assertEquals(countInDatabase("select count(*) from orders where status = 'DELIVERED'"), (long)
                value(metrics, "premium_orders{status=\"DELIVERED\"}"));
        assertEquals(countInDatabase("select count(*) from orders where status = 'EXPIRED'"), (long)
                value(metrics, "premium_orders{status=\"EXPIRED\"}"));
    }

    @Test
    void moneyInAndOutIsTheLedgerSumByReasonInUsdt() {
        deliveredOrder();
        gauges.refresh().await().atMost(REFRESH);

        double expected = countInDatabase(
                        "select coalesce(sum(amount_micros), 0) from ledger_entries where reason = 'ORDER_PAYMENT'")
                / 1_000_000d;
        assertTrue(expected < 0, "order payments are debits");
        assertEquals(
                expected, value(scrape(), "premium_ledger_amount{currency=\"USDT\",reason=\"ORDER_PAYMENT\"}"), 1e-6);
    }

    @Test
    void aBalanceMovedWithoutAnEntryIsShownAsDriftAfterTheFullCheck() {
        long user = fixtures.userWithDeposit(5_000_000L);
        driftCheck.full().await().atMost(REFRESH);
        gauges.refresh().await().atMost(REFRESH);
        assertEquals(0, value(scrape(), "premium_ledger_drift_users"));

        fixtures.moveBalanceBehindTheLedgersBack(user, 1_500_000L);
        try {
            driftCheck.full().await().atMost(REFRESH);
            gauges.refresh().await().atMost(REFRESH);
            String metrics = scrape();
            assertEquals(1, value(metrics, "premium_ledger_drift_users"));
            assertEquals(1.5, value(metrics, "premium_ledger_drift_amount{currency=\"USDT\"}"), 1e-6);
        } finally {
            fixtures.moveBalanceBehindTheLedgersBack(user, -1_500_000L);
            driftCheck.full().await().atMost(REFRESH);
        }
    }

    @Test
    void retriesAreCountedByClass() {
        double before = retries(scrape(), "ambiguous");
        double unavailable = retries(scrape(), "unavailable");
        telegram.failNext("giftPremiumSubscription", 502, "Bad Gateway");

        deliveredOrder();

        // a 502 may have made the gift: the job waits to read the Star transactions, then sends again
        await().atMost(WAIT).untilAsserted(() -> assertTrue(retries(scrape(), "ambiguous") >= before + 2));
        assertEquals(unavailable, retries(scrape(), "unavailable"));
    }

    private static String openMetrics() {
        return given().accept("application/openmetrics-text; version=1.0.0; charset=utf-8")
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    private static double retries(String metrics, String retryClass) {
        String series = "premium_delivery_retries_total{class=\"" + retryClass + "\"}";
        return metrics.contains(series + " ") ? value(metrics, series) : 0;
    }

    @Test
    void jobLatencyIsAHistogramInSecondsWithTraceExemplars() {
        deliveredOrder();

        // the order commits DELIVERED a moment before its job is settled and measured
        await().atMost(WAIT)
                .until(() -> openMetrics()
                        .contains("premium_delivery_job_latency_seconds_bucket{outcome=\"delivered\",le=\"+Inf\"}"));
        String openMetrics = openMetrics();
        Pattern exemplar = Pattern.compile(
                "(?m)^premium_delivery_job_latency_seconds_bucket\\{outcome=\"delivered\",le=\"[^\"]+\"} \\S+ # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"}");
        assertTrue(exemplar.matcher(openMetrics).find(), "a bucket carries a trace exemplar");
    }

    @Test
    void everySeriesADashboardOrAlertRatesIsExposedAtZeroBeforeItsFirstEvent() {
        // Prometheus can't see the increment that creates a series: each must exist before its first event
        String metrics = scrape();
        for (String outcome : java.util.List.of("delivered", "refunded", "unknown", "dead", "error")) {
            assertTrue(metrics.contains("premium_delivery_jobs_total{outcome=\"" + outcome + "\"} "), outcome);
        }
        for (String retryClass :
                java.util.List.of("rate_limited", "unavailable", "stars_paused", "error", "ambiguous")) {
            assertTrue(metrics.contains("premium_delivery_retries_total{class=\"" + retryClass + "\"} "), retryClass);
        }
        assertTrue(
                metrics.contains("premium_delivery_job_latency_seconds_count{outcome=\"delivered\"} "),
                "latency of deliveries");
        for (String outcome : java.util.List.of("refused", "retry", "not_recorded", "refunded")) {
            assertTrue(metrics.contains("premium_star_refunds_total{outcome=\"" + outcome + "\"} "), outcome);
        }
        for (String outcome : java.util.List.of("ok", "unavailable", "rate_limited", "rejected", "bad_answer")) {
            assertTrue(metrics.contains("premium_trc20_polls_total{outcome=\"" + outcome + "\"} "), outcome);
        }
        assertTrue(metrics.contains("premium_trc20_transfers_total{outcome=\"unmatched\"} "), "unmatched transfers");
    }

    @Test
    void unmatchedPaymentsAreCountedWithTheAgeOfTheOldest() {
        String transfer = "metrics-unmatched-" + System.nanoTime();
        fixtures.update("""
                insert into payments (provider, external_id, currency, amount_micros, status, occurred_at, created_at)
                values ('TRC20', ?, 'USDT', 1234567, 'UNMATCHED', now() - interval '2 hours', now() - interval '2 hours')""", transfer);
        try {
            gauges.refresh().await().atMost(REFRESH);
            String metrics = scrape();
            assertEquals(countInDatabase("select count(*) from payments where status = 'UNMATCHED'"), (long)
                    value(metrics, "premium_payments_unmatched"));
            assertTrue(value(metrics, "premium_payments_unmatched_oldest_age_seconds") >= 7_200, "waited two hours");
        } finally {
            // the database gives a TRC20 row named by a bare hash its event id (<hash>:<from>:<micros>:1)
            fixtures.update("delete from payments where split_part(external_id, ':', 1) = ?", transfer);
        }
    }

    @Test
    void pendingStarRefundsAreCountedWithTheAgeOfTheOldest() {
        String charge = "metrics-refund-" + System.nanoTime();
        // due far ahead: no refund run takes it during the test
        fixtures.update("""
                insert into star_refunds (charge_id, user_id, stars, reason, next_attempt_at, created_at)
                values (?, 42, 1000, 'NOT_PAYABLE', now() + interval '1 day', now() - interval '90 minutes')""", charge);
        try {
            gauges.refresh().await().atMost(REFRESH);
            String metrics = scrape();
            assertEquals(countInDatabase("select count(*) from star_refunds where status = 'PENDING'"), (long)
                    value(metrics, "premium_star_refunds_pending"));
            assertTrue(value(metrics, "premium_star_refunds_pending_oldest_age_seconds") >= 5_400, "waited 90 minutes");
        } finally {
            fixtures.update("delete from star_refunds where charge_id = ?", charge);
        }
    }

    @Test
    void theOldestProcessedUpdateIsShownNextToTheRetention() {
        long updateId = -System.nanoTime();
        fixtures.update(
                "insert into processed_updates (update_id, received_at) values (?, now() - interval '3 days')",
                updateId);
        try {
            gauges.refresh().await().atMost(REFRESH);
            String metrics = scrape();
            assertTrue(
                    value(metrics, "premium_processed_updates_oldest_age_seconds") >= 3 * 86_400,
                    "a row three days old");
            assertEquals(48 * 3_600, value(metrics, "premium_processed_updates_retention_seconds"));
        } finally {
            fixtures.update("delete from processed_updates where update_id = ?", updateId);
        }
    }
}
