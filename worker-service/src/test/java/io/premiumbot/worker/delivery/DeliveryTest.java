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
import io.premiumbot.worker.queue.QueueMaintenance;
import io.premiumbot.worker.schedule.ReconcileStalledOrders;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.treasury.RefreshStarBalance;
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

    @Inject
    ReconcileStalledOrders reconcile;

    @Inject
    JobHandler handler;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    private List<FakeBotApi.Call> giftsTo(long recipient) {
        return telegram.calls(GIFT).stream()
                .filter(call -> call.longParam("user_id") == recipient)
                .toList();
    }

    /** Runs the resolver until the order leaves DELIVERY_UNKNOWN: a read may meet an open circuit and be retried next run. */
    private void resolveUntilSettled(String orderId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            return !"DELIVERY_UNKNOWN".equals(fixtures.status(orderId));
        });
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
    void aHeldOrderIsGiftedWhenItsHoldEndsAndNoLater() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.holdDelivery(orderId, Duration.ofSeconds(3));
        Instant heldUntil = Instant.now().plusSeconds(3);

        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofMillis(2800))
                .until(() -> giftsTo(recipient).isEmpty() && "PAID".equals(fixtures.status(orderId)));
        awaitStatus(orderId, "DELIVERED");
        List<FakeBotApi.Call> gifts = giftsTo(recipient);
        assertEquals(1, gifts.size());
        // within the worker's recheck after the hold (at least 1 s, as for a flood wait), not a scheduled sweep later
        assertTrue(
                Duration.between(heldUntil, gifts.get(0).at()).compareTo(Duration.ofSeconds(3)) < 0,
                "gifted at " + gifts.get(0).at() + ", held until " + heldUntil);
        assertFalse(gifts.get(0).at().isBefore(heldUntil.minusMillis(200)), "gifted before the hold ended");
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

        await().atMost(WAIT)
                .until(() -> fixtures.list(QueueKeys.READY).stream().noneMatch(j -> j.contains(orderId))
                        && fixtures.list(QueueKeys.processing(Fixtures.WORKER)).stream()
                                .noneMatch(j -> j.contains(orderId)));
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
    void aGiftAnswered502WithoutBeingMadeIsSentOnceMoreOnlyAfterTheStarTransactionsShowNoGift() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);

        fixtures.enqueue(Fixtures.job(orderId, 1));

        awaitStatus(orderId, "DELIVERED");
        List<FakeBotApi.Call> gifts = giftsTo(recipient);
        assertEquals(2, gifts.size());
        assertTrue(
                telegram.calls("getStarTransactions").stream()
                        .anyMatch(read -> read.at().isAfter(gifts.get(0).at())
                                && read.at().isBefore(gifts.get(1).at())),
                "the Star transactions were read between the 502 and the second call");
        assertEquals(List.of("SERVER_ERROR", "DELIVERED"), fixtures.attemptOutcomes(orderId));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
    }

    @Test
    void aGiftTelegramMadeBeforeAnswering502IsNeverSentAgain() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextAfterDoingFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "DELIVERED");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> giftsTo(recipient).size() == 1);
        assertEquals(List.of("SERVER_ERROR"), fixtures.attemptOutcomes(orderId));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
        assertEquals(0, fixtures.refundEntries(orderId));
    }

    @Test
    void aJobOutOfAttemptsLeavesItsOrderFailedForTheOperatorAndNothingEnqueuesItAgain() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor(GIFT, recipient, 502, "Bad Gateway");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String lastTry = Fixtures.job(orderId, 8);

        fixtures.enqueue(lastTry);

        awaitStatus(orderId, "FAILED");
        await().atMost(WAIT).until(() -> fixtures.list(QueueKeys.DEAD).contains(lastTry));
        assertTrue(
                fixtures.failureReason(orderId).contains("gave up after 8 attempts"), fixtures.failureReason(orderId));
        // the reconcilers look for orders that stopped moving: this one must not be among them
        fixtures.update("update orders set updated_at = now() - interval '1 hour' where id = ?", orderId);
        VertxContextSupport.subscribeAndAwait(() -> reconcile.requeueStalledPaid());
        VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());
        VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> giftsTo(recipient).size() == 1
                        && "FAILED".equals(fixtures.status(orderId))
                        && fixtures.list(QueueKeys.DEAD).contains(lastTry));
        assertEquals(
                0,
                fixtures.list(QueueKeys.READY).stream()
                        .filter(j -> j.contains(orderId))
                        .count());
        assertEquals(
                DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer), "the operator decides: retry or refund");
    }

    @Test
    void aJobTakenFromItsHolderIsNotGiftedByTheOldHolder() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        String oldHolder = "stalled-worker-" + orderId;
        String newHolder = "other-worker-" + orderId;
        // the old holder's heartbeat lapsed and its job was reaped and claimed by another worker
        redis.list(String.class).lpush(QueueKeys.processing(newHolder), job);

        VertxContextSupport.subscribeAndAwait(() -> handler.handle(oldHolder, job));

        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(recipient).size());
        assertEquals(
                List.of("NOT_SENT", "DELIVERED"),
                fixtures.attemptOutcomes(orderId),
                "the old holder's attempt never went out");
        redis.key().del(QueueKeys.processing(newHolder));
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
        assertFalse(redis.sortedSet(String.class).zrange(QueueKeys.DELAYED, 0, -1).stream()
                .anyMatch(j -> j.contains(orderId)));
    }

    @Test
    void anUnansweredGiftIsSettledAsDeliveredFromTheStarTransactions() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "DELIVERED");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        assertEquals(1, giftsTo(recipient).size());
        assertEquals(List.of("UNKNOWN"), fixtures.attemptOutcomes(orderId));
        assertFalse(redis.sortedSet(String.class).zrange(QueueKeys.DELAYED, 0, -1).stream()
                .anyMatch(j -> j.contains(orderId)));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer));
    }

    @Test
    void anUnansweredGiftIsDeliveryUnknownOnlyWhenTelegramCannotTell() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        telegram.failNext("getStarTransactions", 500, "Internal Server Error");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);

        fixtures.enqueue(job);

        awaitStatus(orderId, "DELIVERY_UNKNOWN");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> giftsTo(recipient).size() == 1);
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

            await().atMost(WAIT)
                    .untilAsserted(() -> assertEquals(List.of("BALANCE_TOO_LOW"), fixtures.attemptOutcomes(orderId)));
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
    void settlesAnUnknownDeliveryAsDeliveredOnceTelegramCanTell() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        telegram.failNext("getStarTransactions", 500, "Internal Server Error");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        fixtures.enqueue(job);
        awaitStatus(orderId, "DELIVERY_UNKNOWN");
        await().atMost(WAIT).until(() -> fixtures.settled(job));

        resolveUntilSettled(orderId);
        assertEquals("DELIVERED", fixtures.status(orderId));

        assertEquals(1, giftsTo(recipient).size());
    }

    @Test
    void sendsAnUnknownDeliveryAgainWhenTelegramHasNoRecordOfTheGift() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = fixtures.orderInStatus(buyer, "DELIVERY_UNKNOWN", Duration.ofMinutes(1));
        fixtures.update(
                "insert into delivery_attempts (order_id, attempt, worker_id, started_at, finished_at, outcome, settlement)"
                        + " values (?, 1, 'gone-worker', now() - interval '2 minutes', now() - interval '1 minute', 'UNKNOWN', 'UNCLEAR')",
                orderId);

        // the first read witnesses that Telegram caught up, one after the listing lag proves the absence
        resolveUntilSettled(orderId);

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
        fixtures.update(
                "update orders set status = 'DELIVERY_UNKNOWN', updated_at = now() - interval '1 minute' where id = ?",
                unknown);
        fixtures.update(
                "insert into delivery_attempts (order_id, attempt, worker_id, started_at, outcome)"
                        + " values (?, 1, 'gone-worker', now() - interval '2 minutes', 'UNKNOWN')",
                unknown);

        resolveUntilSettled(unknown);

        awaitStatus(unknown, "DELIVERED");
        assertEquals(2, giftsTo(recipient).size());
    }

    @Test
    void findsAGiftListedAfterTheBotsFiveThousandthStarTransaction() throws Throwable {
        telegram.addIncomingStarPayments(5_050);
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.hangNextFor(GIFT, recipient, Duration.ofSeconds(3));
        telegram.failNext("getStarTransactions", 500, "Internal Server Error");
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        fixtures.enqueue(job);
        awaitStatus(orderId, "DELIVERY_UNKNOWN");
        await().atMost(WAIT).until(() -> fixtures.settled(job));
        assertEquals(5_051, telegram.starTransactionCount());

        // each run reads at most 50 pages of 100 and goes on from where the last one stopped
        resolveUntilSettled(orderId);
        assertEquals("DELIVERED", fixtures.status(orderId));
        assertEquals(1, giftsTo(recipient).size());
        List<FakeBotApi.Call> reads = telegram.calls("getStarTransactions");
        assertTrue(
                reads.stream().allMatch(read -> read.longParam("limit") <= 100), "Telegram takes at most 100 a page");
        assertEquals(
                1,
                reads.stream().filter(read -> read.longParam("offset") == 5_000).count(),
                "page 51 read once, so the cursor was kept between runs");
        assertEquals(
                2,
                reads.stream().filter(read -> read.longParam("offset") == 0).count(),
                "the first page read twice: the failed read, then the first run");
    }

    @Test
    void oneReplicaAtATimeReadsTheStarTransactionsAndSettles() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = fixtures.orderInStatus(buyer, "DELIVERY_UNKNOWN", Duration.ofMinutes(1));
        fixtures.update(
                "insert into delivery_attempts (order_id, attempt, worker_id, started_at, finished_at, outcome, settlement)"
                        + " values (?, 1, 'gone-worker', now() - interval '2 minutes', now() - interval '1 minute', 'UNKNOWN', 'UNCLEAR')",
                orderId);
        fixtures.update(
                "update star_transactions_cursor set lease_holder = 'another-replica', lease_until = now() + interval '1 minute'");

        int settled = VertxContextSupport.subscribeAndAwait(() -> resolveUnknownDeliveries.resolve());

        assertEquals(0, settled);
        assertEquals("DELIVERY_UNKNOWN", fixtures.status(orderId));
        assertEquals(0, telegram.calls("getStarTransactions").size());
        fixtures.update("update star_transactions_cursor set lease_until = now() - interval '1 second'");
        resolveUntilSettled(orderId);
        awaitStatus(orderId, "DELIVERED");
        assertEquals(1, giftsTo(buyer).size());
    }
}
