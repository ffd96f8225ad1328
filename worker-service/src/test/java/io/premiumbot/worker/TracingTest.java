package io.premiumbot.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.support.Spans;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A job's traceparent continues into the worker: delivery and each Bot API call are spans of that trace, all ended. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TracingTest {

    private static final String GIFT = "giftPremiumSubscription";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    Spans spans;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    /** A new trace id per test, as api-service's webhook span would have. */
    private static String newTraceId() {
        return IdGenerator.random().generateTraceId();
    }

    private static String jobIn(String traceId, String orderId) {
        String traceparent = "00-" + traceId + "-" + IdGenerator.random().generateSpanId() + "-01";
        return DeliveryJob.first(orderId, Instant.now(), traceparent).toJson();
    }

    private static Optional<SpanData> named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst();
    }

    private String deliver(String traceId) {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
        fixtures.enqueue(jobIn(traceId, orderId));
        return orderId;
    }

    @Test
    void theGiftCallIsAClientSpanOfTheJobsTrace() {
        String traceId = newTraceId();
        String orderId = deliver(traceId);

        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        await().atMost(WAIT)
                .until(() -> named(spans.ended(traceId), GIFT).isPresent()
                        && named(spans.ended(traceId), "delivery.job").isPresent());

        List<SpanData> trace = spans.ended(traceId);
        SpanData gift = named(trace, GIFT).orElseThrow();
        SpanData job = named(trace, "delivery.job").orElseThrow();
        assertEquals(SpanKind.CLIENT, gift.getKind());
        assertEquals(SpanKind.CONSUMER, job.getKind());
        assertEquals(StatusCode.UNSET, gift.getStatus().getStatusCode());
        assertEquals(orderId, job.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("order.id")));
        assertTrue(
                trace.stream().anyMatch(span -> span.getSpanId().equals(gift.getParentSpanId())),
                "the gift span's parent is a span of the same trace: " + trace);
    }

    @Test
    void afterTelegramRefusesTheRecipientEverySpanOfTheTraceHasEnded() {
        telegram.onlyKnownUsers();
        String traceId = newTraceId();
        String orderId = deliver(traceId);

        await().atMost(WAIT).until(() -> "REFUNDED".equals(fixtures.status(orderId)));
        await().atMost(WAIT)
                .until(() -> named(spans.ended(traceId), "delivery.job").isPresent());

        SpanData gift = named(spans.ended(traceId), GIFT).orElseThrow();
        assertEquals(StatusCode.ERROR, gift.getStatus().getStatusCode());
        assertTrue(
                spans.started(traceId).contains(GIFT),
                "the open-span watcher saw the trace: " + spans.started(traceId));
        assertEquals(List.of(), spans.stillOpen(traceId));
    }

    @Test
    void afterTelegramAnswers500EverySpanOfTheTraceHasEnded() {
        telegram.failNext(GIFT, 500, "Internal Server Error");
        String traceId = newTraceId();
        String orderId = deliver(traceId);

        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        await().atMost(WAIT)
                .until(() -> spans.ended(traceId).stream()
                                        .filter(span -> span.getName().equals(GIFT))
                                        .count()
                                == 2
                        // the 500's job, the one that read the Star transactions, then the second call's
                        && spans.ended(traceId).stream()
                                        .filter(span -> span.getName().equals("delivery.job"))
                                        .count()
                                >= 3);

        List<SpanData> gifts = spans.ended(traceId).stream()
                .filter(span -> span.getName().equals(GIFT))
                .toList();
        assertTrue(
                gifts.stream().anyMatch(span -> span.getStatus().getStatusCode() == StatusCode.ERROR),
                gifts.toString());
        assertTrue(
                spans.started(traceId).contains(GIFT),
                "the open-span watcher saw the trace: " + spans.started(traceId));
        assertEquals(List.of(), spans.stillOpen(traceId));
    }

    @Test
    void noSpanCarriesTheBotToken() {
        String traceId = newTraceId();
        String orderId = deliver(traceId);
        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        await().atMost(WAIT)
                .until(() -> named(spans.ended(traceId), "delivery.job").isPresent());

        String token = FakeBotApiResource.TOKEN;
        for (SpanData span : spans.ended(traceId)) {
            assertFalse(span.getName().contains(token), span.getName());
            span.getAttributes()
                    .forEach((key, value) -> assertFalse(String.valueOf(value).contains(token), key + "=" + value));
        }
    }
}
