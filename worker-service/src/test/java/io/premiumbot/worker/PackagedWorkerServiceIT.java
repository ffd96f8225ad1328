package io.premiumbot.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * The packaged jar (the artifact the images ship), started as its own process against the test database and Redis.
 * On Java 25 the build records this run and turns it into the AOT cache {@code target/quarkus-app/app.aot} (see the
 * {@code aot-cache} profile in the root pom): claiming a job, the Bot API call, the order's transitions and the
 * customer notification are what the cache makes fast at start.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(FakeBotApiResource.class)
class PackagedWorkerServiceIT {

    private static Vertx vertx;
    private static Redis redis;

    @InjectFakeBotApi
    FakeBotApi telegram;

    private final Fixtures fixtures = new Fixtures(testDatabase(), null);

    @BeforeAll
    static void connectRedis() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, env("TEST_WORKER_REDIS_URL", "redis://127.0.0.1:6379/2"));
    }

    @AfterAll
    static void closeRedis() {
        redis.close();
        vertx.close();
    }

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
    }

    @Test
    void aPaidOrderPushedAsApiServicePushesItIsDeliveredAndTheBuyerTold() throws Exception {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String order = fixtures.paidOrder(buyer, buyer);
        redis.send(Request.cmd(Command.LPUSH).arg(QueueKeys.READY).arg(Fixtures.job(order, 1)))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> fixtures.status(order).equals("DELIVERED"));
        assertEquals(1, telegram.calls("giftPremiumSubscription").stream()
                .filter(call -> call.longParam("user_id") == buyer).count());
        await().atMost(Duration.ofSeconds(10)).until(() -> telegram.calls("sendMessage").stream()
                .anyMatch(call -> call.longParam("chat_id") == buyer));
    }

    @Test
    void readinessIncludesTheConsumerAndMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    private static PGSimpleDataSource testDatabase() {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl("jdbc:" + env("TEST_WORKER_DB_URL", "postgresql://127.0.0.1:5432/premium_worker_test"));
        db.setUser("premium");
        db.setPassword("premium");
        return db;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
