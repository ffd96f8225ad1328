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
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)( # .*)?$").matcher(metrics);
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        assertTrue(matcher.find(), () -> "no sample " + series + " among " + metrics.lines().filter(line -> line.startsWith(name)).toList());
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
        assertEquals(countInDatabase("select count(*) from orders where status = 'DELIVERED'"),
                (long) value(metrics, "premium_orders{status=\"DELIVERED\"}"));
        assertEquals(countInDatabase("select count(*) from orders where status = 'EXPIRED'"),
                (long) value(metrics, "premium_orders{status=\"EXPIRED\"}"));
    }

    @Test
    void moneyInAndOutIsTheLedgerSumByReasonInUsdt() {
        deliveredOrder();
        gauges.refresh().await().atMost(REFRESH);

        double expected = countInDatabase("select coalesce(sum(amount_micros), 0) from ledger_entries where reason = 'ORDER_PAYMENT'")
                / 1_000_000d;
        assertTrue(expected < 0, "order payments are debits");
        assertEquals(expected, value(scrape(), "premium_ledger_amount_usdt{currency=\"USDT\",reason=\"ORDER_PAYMENT\"}"), 1e-6);
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
            assertEquals(1.5, value(metrics, "premium_ledger_drift_usdt{currency=\"USDT\"}"), 1e-6);
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
                .when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double retries(String metrics, String retryClass) {
        String series = "premium_delivery_retries_total{class=\"" + retryClass + "\"}";
        return metrics.contains(series + " ") ? value(metrics, series) : 0;
    }

    @Test
    void jobLatencyIsAHistogramInSecondsWithTraceExemplars() {
        deliveredOrder();

        // the order commits DELIVERED a moment before its job is settled and measured
        await().atMost(WAIT).until(() -> openMetrics().contains("premium_delivery_job_latency_seconds_bucket{outcome=\"delivered\",le=\"+Inf\"}"));
        String openMetrics = openMetrics();
        Pattern exemplar = Pattern.compile(
                "(?m)^premium_delivery_job_latency_seconds_bucket\\{outcome=\"delivered\",le=\"[^\"]+\"} \\S+ # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"}");
        assertTrue(exemplar.matcher(openMetrics).find(), "a bucket carries a trace exemplar");
    }
}
