package io.premiumbot.worker.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The sales running totals PostgreSQL keeps as orders move, as the worker's gauges show them. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SalesTotalsTest {

    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final String USDT_3 = "{currency=\"USDT\",months=\"3\"}";

    @Inject
    Fixtures fixtures;

    @Inject
    SalesGauges gauges;

    private double gauge(String name) {
        gauges.refresh().await().atMost(REFRESH);
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name + USDT_3) + " (\\S+)$")
                .matcher(metrics);
        assertTrue(matcher.find(), "the worker exposes " + name + USDT_3);
        return Double.parseDouble(matcher.group(1));
    }

    private void pay(String orderId) {
        fixtures.update(
                "update orders set status = 'PAID', pay_method = 'WALLET', paid_at = now() where id = ?", orderId);
    }

    @Test
    void aPaidOrderAddsToSalesAndItsRefundTakesItBackOut() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        double orders = gauge("premium_sales_orders");
        double amount = gauge("premium_sales_amount");
        String kept = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
        String refunded = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);

        pay(kept);
        pay(refunded);
        fixtures.update("update orders set status = 'DELIVERING' where id = ?", refunded);
        fixtures.update("update orders set status = 'FAILED' where id = ?", refunded);
        fixtures.update("update orders set status = 'REFUNDED' where id = ?", refunded);

        assertEquals(orders + 1, gauge("premium_sales_orders"));
        assertEquals(amount + 13.99, gauge("premium_sales_amount"), 1e-6);
    }

    @Test
    void aDeliveredOrderAddsItsGiftsStars() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        double delivered = gauge("premium_sales_delivered_orders");
        double stars = gauge("premium_sales_gift_stars");
        String order = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);

        pay(order);
        fixtures.update("update orders set status = 'DELIVERING' where id = ?", order);
        fixtures.update("update orders set status = 'DELIVERED', delivered_at = now() where id = ?", order);

        assertEquals(delivered + 1, gauge("premium_sales_delivered_orders"));
        assertEquals(stars + 1000, gauge("premium_sales_gift_stars"));
    }
}
