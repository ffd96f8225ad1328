package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.callbackUpdate;
import static io.premiumbot.api.Fixtures.newUserId;
import static io.premiumbot.api.Fixtures.nextUpdateId;
import static io.premiumbot.api.Fixtures.send;
import static io.premiumbot.api.Fixtures.sendUpdate;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The answer that stops a button's spinner sends no message: it is not in the sending budget the gifts use, so a
 * promotion's presses never queue behind the gifts (nor behind a flood wait on sends) for it.
 */
@QuarkusTest
class CallbackAnswersTest {

    private static final String FLOOD_UNTIL = QueueKeys.HASH_TAG + ":telegram:flood:until";

    @Inject
    TelegramRateLimiter budget;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void floodWaitOver() {
        redis.key(String.class).del(FLOOD_UNTIL);
    }

    @Test
    void aButtonPressIsAnsweredAtOnceWhileEverySendWaitsOutAFloodWait() {
        long buyer = newUserId();
        send(buyer, "/start");
        budget.pauseFor(Duration.ofSeconds(30)).await().atMost(Duration.ofSeconds(5));
        long updateId = nextUpdateId();

        sendUpdate(callbackUpdate(updateId, buyer, "en", "to:3:" + buyer))
                .statusCode(200)
                .body("method", is("sendMessage"));

        await().atMost(Duration.ofSeconds(3))
                .until(() -> FakeTelegram.api().calls("answerCallbackQuery").stream()
                        .anyMatch(call -> ("cb" + updateId).equals(call.params().get("callback_query_id"))));
    }
}
