package io.premiumbot.api;

import static io.premiumbot.api.Fixtures.credit;
import static io.premiumbot.api.Fixtures.newUserId;
import static io.premiumbot.api.Fixtures.operator;
import static io.premiumbot.api.Fixtures.send;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/** Metrics with bounded labels, and the trace that starts at the webhook and rides the delivery job to the worker. */
@QuarkusTest
class ObservabilityTest {

    @Inject
    RedisDataSource redis;

    @Inject
    InMemorySpanExporter spans;

    private static List<String> metricLines(String name) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines().filter(line -> line.startsWith(name + "{")).toList();
    }

    @Test
    void orderLookupsShareOneTemplatedUriSeries() {
        operator().get("/admin/orders/AAAA2222").then().statusCode(404);
        operator().get("/admin/orders/BBBB3333").then().statusCode(404);

        List<String> lookups = metricLines("http_server_requests_seconds_count").stream()
                .filter(line -> line.contains("uri=\"/admin/orders/{id}\"") && line.contains("status=\"404\""))
                .toList();
        assertEquals(1, lookups.size(), "one series for both ids: " + lookups);
        assertTrue(
                metricLines("http_server_requests_seconds_count").stream()
                        .noneMatch(line -> line.contains("AAAA2222") || line.contains("BBBB3333")),
                "no raw id in a label");
    }

    @Test
    void randomOperatorPathsWithAndWithoutTheTokenAddNoHttpSeries() {
        Runnable randomRequests = () -> {
            // random, and never an order id's shape (eight characters): a 400 below, never a lookup
            String id = "x" + java.util.UUID.randomUUID().toString().substring(0, 8);
            given().get("/admin/orders/" + id).then().statusCode(401);
            given().auth()
                    .oauth2("wrong")
                    .post("/admin/orders/" + id + "/refund")
                    .then()
                    .statusCode(401);
            given().get("/admin/" + id + "/" + id).then().statusCode(404);
            operator().get("/admin/" + id).then().statusCode(404);
            // not an order id's shape: a 400 problem, under the route template
            operator().get("/admin/orders/" + id).then().statusCode(400);
        };
        randomRequests.run();
        int series = metricLines("http_server_requests_seconds_count").size();

        for (int i = 0; i < 5; i++) {
            randomRequests.run();
        }

        List<String> after = metricLines("http_server_requests_seconds_count");
        assertEquals(series, after.size(), "random paths made new series: " + after);
    }

    @Test
    void noSpanOfAPurchaseCarriesTheBotTokenAndTheRecipientCheckIsOurOwnSpan() {
        long buyer = newUserId();
        long friend = newUserId();
        Fixtures.sendUpdate(Fixtures.textUpdate(Fixtures.nextUpdateId(), friend, "friend" + friend, "en", "/start"));
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        send(buyer, "/buy 3 @friend" + friend).statusCode(200);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(span -> span.getName().equals("getChat") && span.getKind() == SpanKind.CLIENT));
        for (SpanData span : spans.getFinishedSpanItems()) {
            String everything = span.getName() + " " + span.getAttributes() + " " + span.getEvents();
            assertFalse(everything.contains("test-bot-token"), "a span carries the bot token: " + everything);
        }
    }

    @Test
    void webhookLatencyIsPublishedAsHistogramBuckets() {
        send(newUserId(), "/start").statusCode(200);

        assertTrue(metricLines("http_server_requests_seconds_bucket").stream()
                .anyMatch(line -> line.contains("uri=\"/telegram/webhook\"") && line.contains("le=\"+Inf\"")));
    }

    @Test
    void theEnqueuedJobCarriesTheWebhookRequestsTrace() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "20").statusCode(201);
        send(userId, "/buy 3").statusCode(200);
        String orderId = operator()
                .get("/admin/orders?user=" + userId)
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");

        JsonObject job = redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(JsonObject::new)
                .filter(candidate -> orderId.equals(candidate.getString("orderId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no job for " + orderId + " on " + QueueKeys.READY));
        String[] traceparent = job.getString("traceparent").split("-");
        assertEquals(4, traceparent.length, job.encode());
        String traceId = traceparent[1];

        await().atMost(Duration.ofSeconds(5)).until(() -> serverSpan(traceId).isPresent());
        SpanData webhook = serverSpan(traceId).orElseThrow();
        assertTrue(webhook.getName().contains("/telegram/webhook"), webhook.getName());
        assertFalse(traceId.matches("0+"), "a real trace id");
    }

    private Optional<SpanData> serverSpan(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == SpanKind.SERVER)
                .findFirst();
    }
}
