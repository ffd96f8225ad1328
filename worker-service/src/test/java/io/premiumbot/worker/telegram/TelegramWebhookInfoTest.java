package io.premiumbot.worker.telegram;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.telegram.TelegramWebhookInfo.ErrorKind;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Telegram's getWebhookInfo as gauges: asked by the replica that wins the interval, shared through Redis. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramWebhookInfoTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    TelegramWebhookInfo webhookInfo;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void freshTelegramAndNoSharedAnswer() {
        telegram.reset();
        redis.key().del(TelegramWebhookInfo.POLLER_KEY, TelegramWebhookInfo.INFO_KEY);
    }

    @Test
    void telegramsBacklogAndLastDeliveryErrorBecomeGauges() {
        Instant failedAt = Instant.now().minusSeconds(40);
        telegram.pendingUpdates(137)
                .webhookDeliveryFailed(failedAt, "Wrong response from the webhook: 502 Bad Gateway");

        webhookInfo.refresh().await().atMost(WAIT);

        String metrics = scrape();
        assertEquals(1, telegram.calls("getWebhookInfo").size());
        assertEquals(137, value(metrics, "premium_telegram_webhook_pending_updates"));
        assertEquals(failedAt.getEpochSecond(), (long)
                value(metrics, "premium_telegram_webhook_last_error_timestamp_seconds"));
        assertEquals(1, value(metrics, "premium_telegram_webhook_last_error{kind=\"wrong_response\"}"));
        assertEquals(0, value(metrics, "premium_telegram_webhook_last_error{kind=\"none\"}"));
    }

    @Test
    void aWebhookTelegramNeverFailedToReachShowsNoError() {
        webhookInfo.refresh().await().atMost(WAIT);

        String metrics = scrape();
        assertEquals(0, value(metrics, "premium_telegram_webhook_pending_updates"));
        assertEquals(0, value(metrics, "premium_telegram_webhook_last_error_timestamp_seconds"));
        assertEquals(1, value(metrics, "premium_telegram_webhook_last_error{kind=\"none\"}"));
    }

    @Test
    void aReplicaThatLostTheIntervalShowsTheSharedAnswerWithoutAskingTelegram() {
        redis.value(String.class).set(TelegramWebhookInfo.POLLER_KEY, "another-worker");
        redis.value(String.class)
                .setex(
                        TelegramWebhookInfo.INFO_KEY,
                        60,
                        "{\"pending\":12,\"errorAt\":0,\"errorKind\":\"NONE\",\"polledAt\":"
                                + Instant.now().getEpochSecond() + "}");

        webhookInfo.refresh().await().atMost(WAIT);

        assertEquals(0, telegram.calls("getWebhookInfo").size(), "only the interval's winner asks");
        assertEquals(12, value(scrape(), "premium_telegram_webhook_pending_updates"));
    }

    @Test
    void noSharedAnswerShowsAsNotANumberRatherThanAStaleValue() {
        redis.value(String.class).set(TelegramWebhookInfo.POLLER_KEY, "another-worker");

        webhookInfo.refresh().await().atMost(WAIT);

        assertTrue(Double.isNaN(value(scrape(), "premium_telegram_webhook_pending_updates")));
    }

    @Test
    void telegramsErrorMessagesAreSortedIntoAFewKinds() {
        assertEquals(
                ErrorKind.WRONG_RESPONSE, ErrorKind.of("Wrong response from the webhook: 500 Internal Server Error"));
        assertEquals(ErrorKind.TIMEOUT, ErrorKind.of("Read timeout expired"));
        assertEquals(ErrorKind.TIMEOUT, ErrorKind.of("Connection timed out"));
        assertEquals(ErrorKind.CONNECTION, ErrorKind.of("Connection refused"));
        assertEquals(ErrorKind.CONNECTION, ErrorKind.of("Failed to resolve host: Name or service not known"));
        assertEquals(ErrorKind.TLS, ErrorKind.of("SSL error {error:0A000086:SSL routines::certificate verify failed}"));
        assertEquals(ErrorKind.OTHER, ErrorKind.of("something new"));
        assertEquals(ErrorKind.NONE, ErrorKind.of(null));
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)( # .*)?$")
                .matcher(metrics);
        assertTrue(matcher.find(), () -> "no sample " + series);
        return Double.parseDouble(matcher.group(1));
    }
}
