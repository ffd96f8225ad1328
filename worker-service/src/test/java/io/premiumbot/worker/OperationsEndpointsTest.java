package io.premiumbot.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Health and metrics as Kubernetes and Prometheus see them. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsEndpointsTest {

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    @Test
    void readinessCoversDatabaseRedisAndTheConsumerLoop() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", hasItem("delivery-consumer-loop"))
                .body("checks.name", hasItem("Redis connection health check"));
    }

    @Test
    void livenessIsAboutThisProcessOnly() {
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("checks.name", not(hasItem("delivery-consumer-loop")));
    }

    @Test
    void metricsCountDeliveriesAndTelegramCallsWithBoundedLabels() {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> "DELIVERED".equals(fixtures.status(orderId)));

        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        org.hamcrest.MatcherAssert.assertThat(
                metrics, containsString("premium_delivery_jobs_total{outcome=\"delivered\"}"));
        org.hamcrest.MatcherAssert.assertThat(
                metrics,
                containsString(
                        "premium_telegram_requests_seconds_count{method=\"giftPremiumSubscription\",outcome=\"ok\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, containsString("premium_queue_depth{queue=\"ready\"}"));
        org.hamcrest.MatcherAssert.assertThat(metrics, not(containsString(FakeBotApiResource.TOKEN)));
    }
}
