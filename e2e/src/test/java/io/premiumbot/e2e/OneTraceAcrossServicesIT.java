package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.OtlpReceiver;
import io.premiumbot.testkit.OtlpReceiver.ReceivedSpan;

/**
 * What the collector receives from both packaged services during one {@code /buy}: an OTLP receiver on loopback
 * (HTTP/protobuf) stands in for it. One trace runs from api-service's webhook server span through the job to the
 * worker's {@code giftPremiumSubscription} client span, every span ended, no token in any byte, and log records of
 * both services carry that trace id.
 */
class OneTraceAcrossServicesIT {

    private static OtlpReceiver collector;
    private static Stack stack;
    private static String giftTrace;

    @BeforeAll
    static void buyOnceWithBothServicesExporting() {
        collector = OtlpReceiver.start();
        stack = Stack.start(Stack.Options.defaults()
                .withReadyTimeout(Duration.ofSeconds(180))
                .withEnv(Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                        "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                        "QUARKUS_OTEL_BLRP_SCHEDULE_DELAY", "200ms",
                        "DEPLOYMENT_ENVIRONMENT", "e2e")));
        long user = 7_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        StackClient client = stack.client();
        client.say(user, "trace" + user, "/start");
        client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("20.000000", "trace"),
                Map.of("Idempotency-Key", "trace-" + user));
        client.say(user, "trace" + user, "/buy 3");
        await("the order delivered")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> client.ordersOf(user).path(0).path("status").asText(), "DELIVERED"::equals);
        ReceivedSpan gift = await("the gift's span at the collector")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> collector.spans().stream()
                                .filter(span -> span.name().equals("giftPremiumSubscription"))
                                .findFirst()
                                .orElse(null),
                        span -> span != null);
        giftTrace = gift.traceId();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    private static List<ReceivedSpan> trace() {
        return collector.spans().stream()
                .filter(span -> span.traceId().equals(giftTrace))
                .toList();
    }

    @Test
    void oneTraceRunsFromTheWebhookThroughTheJobToTheGift() {
        await("the webhook's server span at the collector")
                .atMost(Duration.ofSeconds(15))
                .until(() -> trace().stream()
                        .anyMatch(span -> "api-service".equals(span.service())
                                && span.kind() == ReceivedSpan.KIND_SERVER
                                && span.name().contains("/telegram/webhook")));
        List<ReceivedSpan> trace = trace();
        assertTrue(
                trace.stream()
                        .anyMatch(span ->
                                "worker-service".equals(span.service()) && span.kind() == ReceivedSpan.KIND_CONSUMER),
                "the job's consumer span: " + trace);
        ReceivedSpan gift = trace.stream()
                .filter(span -> span.name().equals("giftPremiumSubscription"))
                .findFirst()
                .orElseThrow();
        assertEquals("worker-service", gift.service());
        assertEquals(ReceivedSpan.KIND_CLIENT, gift.kind());
        // a wallet purchase's own few statements (WalletPurchase: the debit is one of them, not a Ledger call)
        for (String step : List.of(
                "WalletPurchase.pay",
                "DeliveryQueue.enqueuePaid",
                "DeliveryService.claim",
                "TelegramRateLimiter.acquire",
                "JobQueue.acknowledgeAndClaim")) {
            assertTrue(
                    trace.stream().anyMatch(span -> span.name().equals(step)),
                    step + " in the trace: "
                            + trace.stream().map(ReceivedSpan::name).toList());
        }
    }

    @Test
    void everySpanOfThePurchaseIsEnded() {
        List<ReceivedSpan> trace = trace();
        assertTrue(trace.size() >= 5, "spans of the trace: " + trace);
        assertEquals(List.of(), trace.stream().filter(span -> !span.ended()).toList(), "spans received unended");
    }

    @Test
    void noByteEitherServiceExportedCarriesTheBotToken() {
        String token = stack.botToken();
        assertFalse(collector.anyPayloadContains(token), "an OTLP payload carries the bot token");
        assertFalse(
                collector.anyPayloadContains(token.substring(token.indexOf(':') + 1)),
                "an OTLP payload carries the token's secret part");
        assertFalse(collector.anyPayloadContains(stack.adminToken()), "an OTLP payload carries the admin token");
        assertFalse(collector.anyPayloadContains(stack.webhookSecret()), "an OTLP payload carries the webhook secret");
    }

    @Test
    void bothServicesLogRecordsCarryTheTraceId() {
        await("log records of both services in the trace")
                .atMost(Duration.ofSeconds(15))
                .until(() -> collector.logs().stream()
                                .filter(log -> log.traceId().equals(giftTrace))
                                .map(log -> log.service())
                                .distinct()
                                .count()
                        == 2);
        assertTrue(collector.logs().stream()
                .anyMatch(log -> log.traceId().equals(giftTrace)
                        && "worker-service".equals(log.service())
                        && log.body().contains("event=order_delivered")));
        assertTrue(
                collector.logs().stream()
                        .allMatch(log -> "e2e".equals(log.resource().get("deployment.environment"))
                                && log.resource().containsKey("service.version")),
                "resource attributes on every record");
    }
}
