package io.premiumbot.worker;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.support.MigratedTestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged jar (the artifact the images ship), started as its own process against the test database and Redis:
 * claiming a job, the Bot API call, the order's transitions and the customer notification. With {@code -Daot-cache}
 * the build then records the jar's AOT cache ({@code deploy/aot-record.sh}, the {@code aot-cache} profile in the root
 * pom).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(FakeBotApiResource.class)
@QuarkusTestResource(MigratedTestDatabase.class)
class PackagedWorkerServiceIT {

    @InjectFakeBotApi
    FakeBotApi telegram;

    private final Fixtures fixtures = new Fixtures(testDatabase(), null);

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
    }

    @Test
    void aPaidOrderPushedAsApiServicePushesItIsDeliveredAndTheBuyerTold() throws Exception {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String order = fixtures.paidOrder(buyer, buyer);
        lpush(QueueKeys.READY, Fixtures.job(order, 1));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> fixtures.status(order).equals("DELIVERED"));
        assertEquals(
                1,
                telegram.calls("giftPremiumSubscription").stream()
                        .filter(call -> call.longParam("user_id") == buyer)
                        .count());
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        telegram.calls("sendMessage").stream().anyMatch(call -> call.longParam("chat_id") == buyer));
    }

    @Test
    void readinessIncludesTheConsumerAndMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    /** LPUSH as api-service does it, in plain RESP: the test needs no Redis client of its own. */
    private static void lpush(String key, String value) throws IOException {
        URI redis = URI.create(env("TEST_WORKER_REDIS_URL", "redis://127.0.0.1:6379/2"));
        String db = redis.getPath() == null || redis.getPath().length() < 2
                ? "0"
                : redis.getPath().substring(1);
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command("SELECT", db) + command("LPUSH", key, value)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String replies = "";
            while (replies.split("\r\n", -1).length < 3) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                replies += (char) b;
            }
            if (!replies.startsWith("+OK\r\n:")) {
                throw new IllegalStateException("Redis refused the job: " + replies);
            }
        }
    }

    private static String command(String... parts) {
        StringBuilder resp = new StringBuilder("*" + parts.length + "\r\n");
        for (String part : parts) {
            resp.append('$')
                    .append(part.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return resp.toString();
    }

    private static PGSimpleDataSource testDatabase() {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(MigratedTestDatabase.jdbcUrl());
        db.setUser("premium");
        db.setPassword("premium");
        return db;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
