package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.schedule.ReconcileStalledOrders;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * A flood wait (429 retry_after) is the bot's: no gift goes out before it has passed, whoever holds a job for it — the
 * order's own retry, another order's job, the reconciler, a duplicate job — and every order is delivered after it.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FloodWaitTest {

    private static final String GIFT = "giftPremiumSubscription";
    private static final String FLOOD_UNTIL = QueueKeys.HASH_TAG + ":telegram:flood:until";
    private static final int RETRY_AFTER_SECONDS = 4;
    private static final Duration FLOOD = Duration.ofSeconds(RETRY_AFTER_SECONDS);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DEPOSIT = 50_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    RedisDataSource redis;

    @Inject
    ReconcileStalledOrders reconcile;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
        redis.key(String.class).del(FLOOD_UNTIL);
    }

    private List<FakeBotApi.Call> giftsTo(long recipient) {
        return telegram.calls(GIFT).stream()
                .filter(call -> call.longParam("user_id") == recipient)
                .toList();
    }

    private void awaitStatus(String orderId, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(status, fixtures.status(orderId)));
    }

    /** The order's first gift was answered 429 and the order is PAID again, waiting; when Telegram answered. */
    private Instant floodedBy(String orderId, long recipient) {
        telegram.floodWaitOnNextFor(GIFT, recipient, RETRY_AFTER_SECONDS);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT)
                .until(() -> giftsTo(recipient).size() == 1
                        && fixtures.attemptOutcomes(orderId).contains("RATE_LIMITED")
                        && "PAID".equals(fixtures.status(orderId)));
        return giftsTo(recipient).get(0).at();
    }

    private int requeueStalledPaid() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> reconcile.requeueStalledPaid());
        } catch (Throwable e) {
            throw new AssertionError("the reconciler failed", e);
        }
    }

    @Test
    void aFloodWaitHoldsEveryGiftOfTheBotUntilRetryAfter() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long flooded = fixtures.anotherTelegramUser();
        long other = fixtures.anotherTelegramUser();
        String floodedOrder = fixtures.paidOrder(buyer, flooded);
        String otherOrder = fixtures.paidOrder(buyer, other);

        Instant answered429 = floodedBy(floodedOrder, flooded);
        fixtures.enqueue(Fixtures.job(otherOrder, 1));

        Duration leftOfTheWait = FLOOD.minus(Duration.between(answered429, Instant.now()));
        await().during(leftOfTheWait.minusMillis(300))
                .atMost(leftOfTheWait)
                .until(() -> telegram.calls(GIFT).size() == 1);
        awaitStatus(floodedOrder, "DELIVERED");
        awaitStatus(otherOrder, "DELIVERED");
        assertEquals(2, giftsTo(flooded).size(), "the 429, then the gift");
        assertEquals(1, giftsTo(other).size());
        Instant floodEnds = answered429.plus(FLOOD);
        telegram.calls(GIFT).stream()
                .skip(1)
                .forEach(gift ->
                        assertFalse(gift.at().isBefore(floodEnds), "a gift went out inside the flood wait: " + gift));
    }

    @Test
    void theReconcilerNeverEnqueuesAnOrderInsideItsFloodWait() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        Instant answered429 = floodedBy(orderId, recipient);
        // the order looks stalled, Redis forgot the bot's wait, and a second job for it is around: only PostgreSQL's
        // record of the order's own wait stands between them and a second gift inside it
        fixtures.update("update orders set updated_at = now() - interval '1 hour' where id = ?", orderId);
        redis.key(String.class).del(FLOOD_UNTIL);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        long stalledRecipient = fixtures.anotherTelegramUser();
        String stalled = fixtures.paidOrder(buyer, stalledRecipient);
        fixtures.update("update orders set updated_at = now() - interval '1 hour' where id = ?", stalled);

        // the reconciler runs: it picks the order that is really stalled (delivered below), not the waiting one
        assertTrue(requeueStalledPaid() >= 1);
        Duration leftOfTheWait = FLOOD.minus(Duration.between(answered429, Instant.now()));
        await().during(leftOfTheWait.minusMillis(700))
                .atMost(leftOfTheWait.plusSeconds(2))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> requeueStalledPaid() == 0 && giftsTo(recipient).size() == 1);

        awaitStatus(orderId, "DELIVERED");
        awaitStatus(stalled, "DELIVERED");
        List<FakeBotApi.Call> gifts = giftsTo(recipient);
        assertEquals(2, gifts.size(), "the 429, then one gift: " + gifts);
        assertTrue(!gifts.get(1).at().isBefore(answered429.plus(FLOOD)), "the gift came inside the wait: " + gifts);
    }
}
