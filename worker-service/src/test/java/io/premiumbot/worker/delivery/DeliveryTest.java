package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.queue.QueueMaintenance;
import io.premiumbot.worker.schedule.RefreshStarBalance;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/** The whole path on real PostgreSQL and Redis: a job pushed as api-service pushes it, the fake Bot API answering. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeliveryTest {

    private static final String GIFT = "giftPremiumSubscription";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long DEPOSIT = 20_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    RedisDataSource redis;

    @Inject
    QueueMaintenance maintenance;

    @Inject
    RefreshStarBalance refreshStarBalance;

    @Inject
    ResolveUnknownDeliveries resolveUnknownDeliveries;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
    }

    private List<FakeBotApi.Call> giftsTo(long recipient) {
        return telegram.calls(GIFT).stream().filter(call -> call.longParam("user_id") == recipient).toList();
    }

    private void awaitStatus(String orderId, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(status, fixtures.status(orderId)));
    }

    @Test
    void giftsPremiumOnceAndMarksTheOrderDelivered() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "DELIVERED");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        List<FakeBotApi.Call> gifts = giftsTo(recipient);
        assertEquals(1, gifts.size());
        assertEquals(3, gifts.get(0).longParam("month_count"));
        assertEquals(1000, gifts.get(0).longParam("star_count"));
        assertEquals(List.of("DELIVERED"), fixtures.attemptOutcomes(orderId));
    }

    @Test
    void replayedJobForADeliveredOrderIsANoOp() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        fixtures.enqueue(job);
        awaitStatus(orderId, "DELIVERED");
        await().atMost(WAIT).until(() -> fixtures.settled(job));

        fixtures.enqueue(job);
        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().atMost(WAIT).until(() -> fixtures.list(QueueKeys.READY).stream().noneMatch(j -> j.contains(orderId))
                && fixtures.list(QueueKeys.processing(Fixtures.WORKER)).stream().noneMatch(j -> j.contains(orderId)));
        assertEquals(1, giftsTo(recipient).size());
        assertEquals("DELIVERED", fixtures.status(orderId));
        assertEquals(List.of("DELIVERED"), fixtures.attemptOutcomes(orderId));
    }

    @Test
    void waitsTheRetryAfterTelegramAsksForOn429() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.rateLimitNextFor(GIFT, recipient, 2);
        String orderId = fixtures.paidOrder(buyer, recipient);

        fixtures.enqueue(Fixtures.job(orderId, 1));

        awaitStatus(orderId, "DELIVERED");
        List<FakeBotApi.Call> gifts = giftsTo(recipient);
        assertEquals(2, gifts.size());
        Duration between = Duration.between(gifts.get(0).at(), gifts.get(1).at());
        assertTrue(between.compareTo(Duration.ofMillis(1900)) >= 0, "second call came after " + between);
        assertEquals(List.of("RATE_LIMITED", "DELIVERED"), fixtures.attemptOutcomes(orderId));
    }

    @Test
    void retriesWhenTelegramAnswersWithAServerError() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);

        fixtures.enqueue(Fixtures.job(orderId, 1));

        awaitStatus(orderId, "DELIVERED");
        assertEquals(2, giftsTo(recipient).size());
        assertEquals(List.of("UNAVAILABLE", "DELIVERED"), fixtures.attemptOutcomes(orderId));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
    }

    @Test
    void refundsWhenTelegramRefusesTheRecipient() {
        telegram.onlyKnownUsers();
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "REFUNDED");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        assertEquals(1, giftsTo(recipient).size());
        assertTrue(fixtures.failureReason(orderId).contains("user not found"), fixtures.failureReason(orderId));
        assertEquals(DEPOSIT, fixtures.balance(buyer));
        assertEquals(fixtures.balance(buyer), fixtures.ledgerSum(buyer));
        assertEquals(1, fixtures.refundEntries(orderId));
        assertEquals(List.of("REJECTED"), fixtures.attemptOutcomes(orderId));
        assertFalse(redis.sortedSet(String.class).zrange(QueueKeys.DELAYED, 0, -1).stream().anyMatch(j -> j.contains(orderId)));
    }

    @Test
    void marksTheOrderDeliveryUnknownWhenTelegramNeverAnswers() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "DELIVERY_UNKNOWN");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        assertEquals(1, giftsTo(recipient).size());
        assertEquals(List.of("UNKNOWN"), fixtures.attemptOutcomes(orderId));
        assertFalse(redis.sortedSet(String.class).zrange(QueueKeys.DELAYED, 0, -1).stream().anyMatch(j -> j.contains(orderId)));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
    }

    @Test
    void returnsTheJobsOfADeadWorkerAndDeliversThemOnce() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        String deadWorker = "dead-worker-" + orderId;
        redis.list(String.class).lpush(QueueKeys.processing(deadWorker), job);
        redis.set(String.class).sadd(QueueKeys.WORKERS, deadWorker);

        long reaped = maintenance.reap().await().atMost(WAIT);

        assertTrue(reaped >= 1, "reaped " + reaped);
        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(recipient).size());
        assertEquals(List.of(), fixtures.list(QueueKeys.processing(deadWorker)));
        assertFalse(redis.set(String.class).smembers(QueueKeys.WORKERS).contains(deadWorker));
        assertTrue(redis.set(String.class).smembers(QueueKeys.WORKERS).contains(Fixtures.WORKER));
    }

    @Test
    void keepsTheOrderPaidAndPausesWhenTheBotsStarsRunOut() {
        telegram.starBalance(500);
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        try {
            fixtures.enqueue(Fixtures.job(orderId, 1));

            await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("BALANCE_TOO_LOW"), fixtures.attemptOutcomes(orderId)));
            await().atMost(WAIT).untilAsserted(() -> assertEquals("PAID", fixtures.status(orderId)));
            assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
            assertEquals(0, fixtures.refundEntries(orderId));
        } finally {
            telegram.starBalance(1_000_000);
            refreshStarBalance.refresh().await().atMost(WAIT);
        }
        // Stars are back: the held-back job itself comes round again and goes through, once
        awaitStatus(orderId, "DELIVERED");
        assertEquals(2, giftsTo(recipient).size());
        assertEquals(List.of("BALANCE_TOO_LOW", "DELIVERED"), fixtures.attemptOutcomes(orderId));
    }

    @Test
    void buriesAJobThatCannotBeRead() {
        String garbage = "{\"orderId\":" + System.nanoTime() + ", not json";

        fixtures.enqueue(garbage);

        await().atMost(WAIT).until(() -> fixtures.list(QueueKeys.DEAD).contains(garbage));
        assertTrue(fixtures.settled(garbage));
    }

    @Test
    void settlesAnUnknownDeliveryAsDeliveredWhenTheBotsStarTransactionsShowTheGift() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        awaitStatus(orderId, "DELIVERY_UNKNOWN");

        VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());

        assertEquals("DELIVERED", fixtures.status(orderId));
        assertEquals(1, giftsTo(recipient).size());
    }

    @Test
    void sendsAnUnknownDeliveryAgainWhenTelegramHasNoRecordOfTheGift() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = fixtures.orderInStatus(buyer, "DELIVERY_UNKNOWN", Duration.ofMinutes(1));

        VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());

        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(buyer).size());
    }

    @Test
    void sendsAnUnknownDeliveryAgainWhenTheOnlyGiftOnRecordBelongsToAnotherOrder() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT * 2);
        long recipient = fixtures.anotherTelegramUser();
        String delivered = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(delivered, 1));
        awaitStatus(delivered, "DELIVERED");
        String unknown = fixtures.paidOrder(buyer, recipient);
        fixtures.update("update orders set status = 'DELIVERY_UNKNOWN', updated_at = now() - interval '1 minute' where id = ?", unknown);
        fixtures.update("insert into delivery_attempts (order_id, attempt, worker_id, started_at, outcome)"
                + " values (?, 1, 'gone-worker', now() - interval '2 minutes', 'UNKNOWN')", unknown);

        VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());

        awaitStatus(unknown, "DELIVERED");
        assertEquals(2, giftsTo(recipient).size());
    }
}
