package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
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
 * Settling gifts from the bot's Star transactions when faults overlap (issue 22): one gift never proves two orders,
 * a gift Telegram made after we stopped waiting is found rather than sent again, and our own busy budget never
 * passes for Telegram not knowing. Real PostgreSQL and Redis, the fake Bot API.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GiftSettlementTest {

    private static final String GIFT = "giftPremiumSubscription";
    private static final String READ = "getStarTransactions";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DEPOSIT = 40_000_000L;
    /** The budget's next free slot (shared-model TelegramRateLimiter), µs of Redis' clock. */
    private static final String NEXT_SLOT = QueueKeys.HASH_TAG + ":telegram:rate:next";

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    RedisDataSource redis;

    @Inject
    ResolveUnknownDeliveries resolveUnknownDeliveries;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    @AfterEach
    void budgetFree() {
        redis.key().del(NEXT_SLOT);
    }

    private List<FakeBotApi.Call> giftsTo(long recipient) {
        return telegram.calls(GIFT).stream()
                .filter(call -> call.longParam("user_id") == recipient)
                .toList();
    }

    private void awaitStatus(String orderId, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(status, fixtures.status(orderId)));
    }

    private void awaitOutcomes(String orderId, String... outcomes) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of(outcomes), fixtures.attemptOutcomes(orderId)));
    }

    /** The gift the order's first attempt names, or null. */
    private String giftOfFirstAttempt(String orderId) {
        return fixtures.text(
                "select gift_transaction_id from delivery_attempts where order_id = ? and attempt = 1", orderId);
    }

    private int resolve() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Holds the budget's next slot {@code ahead} of now, as a backlog of gifts reserving their slots does. */
    private void budgetReservedFor(Duration ahead) {
        var time = redis.execute("TIME");
        long nowMicros = time.get(0).toLong() * 1_000_000L + time.get(1).toLong();
        redis.value(String.class).set(NEXT_SLOT, String.valueOf(nowMicros + ahead.toNanos() / 1_000));
    }

    @Test
    void aGiftAnsweredTrueIsNeverCreditedToAnEarlierAmbiguousAttempt() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor(GIFT, recipient, 502, "Bad Gateway");
        String first = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(first, 1));
        awaitOutcomes(first, "SERVER_ERROR");

        // the same buyer, the same recipient and months, gifted while the first order waits for its check
        String second = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(second, 1));

        awaitStatus(second, "DELIVERED");
        awaitStatus(first, "DELIVERED");
        assertEquals(3, giftsTo(recipient).size(), "the 502, the second order's gift, the first order's own");
        assertEquals(List.of("SERVER_ERROR", "DELIVERED"), fixtures.attemptOutcomes(first));
        String secondsGift = giftOfFirstAttempt(second);
        assertNotNull(secondsGift, "the gift Telegram answered true for proves the second order");
        assertEquals(
                "ABSENT",
                fixtures.text("select settlement from delivery_attempts where order_id = ? and attempt = 1", first));
        assertEquals(2, telegram.starTransactionCount(), "two gifts for two delivered orders");
    }

    @Test
    void twoAmbiguousAttemptsAndOneGiftDeliverOnlyOneFromItAndSendTheOtherAgain() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor(GIFT, recipient, 502, "Bad Gateway");
        telegram.failNextAfterDoingFor(GIFT, recipient, 502, "Bad Gateway");
        String first = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(first, 1));
        awaitOutcomes(first, "SERVER_ERROR");
        String second = fixtures.paidOrder(buyer, recipient);

        fixtures.enqueue(Fixtures.job(second, 1));

        awaitStatus(first, "DELIVERED");
        awaitStatus(second, "DELIVERED");
        List<String> settlements = List.of(
                fixtures.text("select settlement from delivery_attempts where order_id = ? and attempt = 1", first),
                fixtures.text("select settlement from delivery_attempts where order_id = ? and attempt = 1", second));
        assertTrue(
                settlements.contains("FOUND") && settlements.contains("ABSENT"),
                "one ambiguous attempt proven by the gift, the other sent again: " + settlements);
        assertEquals(3, giftsTo(recipient).size());
        assertEquals(2, telegram.starTransactionCount(), "two gifts for two delivered orders");
    }

    @Test
    void aGiftTelegramProcessedAfterTheTimeoutIsFoundNotSentAgain() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        // Telegram stalls: the gift request is held (not carried out yet) and answered long after our timeout ...
        telegram.onlyKnownUsers();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(4));
        // ... and the check's read gets no answer either
        telegram.hangNext(READ, Duration.ofSeconds(4));
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        awaitStatus(orderId, "DELIVERY_UNKNOWN");

        // Telegram answers again: the first read since shows no gift yet (a transaction is listed with lag)
        assertEquals(0, resolve());
        assertEquals("DELIVERY_UNKNOWN", fixtures.status(orderId), "an absence right after the stall proves nothing");
        // the held request, processed when Telegram caught up, is listed now
        telegram.addGiftTransaction(recipient, 3);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            resolve();
            return !"DELIVERY_UNKNOWN".equals(fixtures.status(orderId));
        });
        assertEquals("DELIVERED", fixtures.status(orderId));
        assertEquals(1, giftsTo(recipient).size(), "never sent again");
        assertNotNull(giftOfFirstAttempt(orderId));
    }

    @Test
    void settlementReadsTakeTheBudgetWithAGiftsPriority() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextAfterDoingFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        awaitOutcomes(orderId, "SERVER_ERROR");

        // gifts hold the next seconds: nothing is free for a spare call, a gift's priority waits its turn
        budgetReservedFor(Duration.ofMillis(4500));

        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(recipient).size());
    }

    @Test
    void aBusyGiftBudgetNeverMakesAnOrderDeliveryUnknown() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextAfterDoingFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        fixtures.enqueue(job);
        awaitOutcomes(orderId, "SERVER_ERROR");
        int readsBefore = telegram.calls(READ).size();

        // a backlog of gifts holds the budget past the longest a gift may wait: the check can't read now
        budgetReservedFor(Duration.ofSeconds(60));

        await().during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(6))
                .until(() -> "DELIVERING".equals(fixtures.status(orderId)));
        assertEquals(readsBefore, telegram.calls(READ).size(), "Telegram was never asked");
        redis.key().del(NEXT_SLOT);
        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(recipient).size());
    }
}
