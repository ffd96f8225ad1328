package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.TelegramCircuits;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * Telegram failing for a while, as the worker meets it: one method failing must not stop the others (a circuit breaker
 * per method group), and a gift that never left costs its order no attempt: the order waits and is delivered once
 * Telegram is back, however long the outage.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramOutageTest {

    private static final String GIFT = "giftPremiumSubscription";
    private static final String REFUND = "refundStarPayment";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DEPOSIT = 20_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    BotApi botApi;

    @Inject
    TelegramCircuits circuits;

    @Inject
    DeliveryAttempts attempts;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    @AfterEach
    void telegramBack() {
        telegram.comeBack();
    }

    private Throwable failureOf(Uni<Void> call) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() ->
                call.onItem().transform(ignored -> (Throwable) null).onFailure().recoverWithItem(failure -> failure));
    }

    @Test
    void triesThatNeverReachedTelegramAreNotCountedWhenAReconcilerSendsTheOrderAgain() throws Throwable {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
        // an outage's worth of tries whose request never left, then one a 502 answered
        for (int attempt = 1; attempt <= 8; attempt++) {
            fixtures.update(
                    "insert into delivery_attempts (order_id, attempt, worker_id, started_at, finished_at, outcome)"
                            + " values (?, ?, 'test-worker', now(), now(), 'UNAVAILABLE')",
                    orderId,
                    attempt);
        }
        fixtures.update(
                "insert into delivery_attempts (order_id, attempt, worker_id, started_at, sent_at, finished_at, outcome)"
                        + " values (?, 9, 'test-worker', now(), now(), now(), 'SERVER_ERROR')",
                orderId);

        int counted = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> attempts.counted(orderId)));

        assertEquals(1, counted, "only the try that reached Telegram counts toward the order's attempts");
    }

    @Test
    void refundsAnswering502DoNotStopGifts() throws Throwable {
        for (int i = 0; i < 10; i++) {
            telegram.failNext(REFUND, 502, "Bad Gateway");
            assertInstanceOf(
                    TelegramException.Unavailable.class, failureOf(botApi.refundStarPayment(7, "charge-" + i)));
        }
        assertTrue(circuits.openFor(REFUND).isPresent(), "ten 502s in a row open the refunds' circuit");
        assertInstanceOf(TelegramException.NotSent.class, failureOf(botApi.refundStarPayment(7, "charge-x")));

        Throwable gift = failureOf(botApi.giftPremiumSubscription(fixtures.anotherTelegramUser(), 3, 1000));

        assertEquals(null, gift, "the gift went out while the refunds' circuit was open");
        assertTrue(circuits.openFor(REFUND).isPresent(), "and the refunds' circuit was still open");
        assertEquals(10, telegram.calls(REFUND).size(), "the open circuit kept the eleventh refund home");
    }

    @Test
    void anOrderWhoseGiftNeverLeftSpendsNoAttemptAndIsDeliveredOnceTelegramIsBack() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        // its last attempt by the count: one more attempt spent would fail the order
        String lastTry = Fixtures.job(orderId, 8);
        telegram.goDown();

        fixtures.enqueue(lastTry);

        // refused connections, then the gifts' circuit open: every try stays home and the order waits PAID
        await().atMost(WAIT)
                .until(() -> fixtures.attemptOutcomes(orderId).size() >= 10
                        && fixtures.attemptOutcomes(orderId).stream().allMatch("UNAVAILABLE"::equals));
        assertFalse("FAILED".equals(fixtures.status(orderId)), "ten tries that never left failed nothing");
        assertFalse(fixtures.list(QueueKeys.DEAD).contains(lastTry), "nothing went to the dead list");
        assertTrue(telegram.calls(GIFT).isEmpty(), "nothing reached Telegram");

        telegram.comeBack();

        await().atMost(WAIT).until(() -> "DELIVERED".equals(fixtures.status(orderId)));
        List<String> outcomes = fixtures.attemptOutcomes(orderId);
        assertEquals("DELIVERED", outcomes.get(outcomes.size() - 1));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> telegram.calls(GIFT).size() == 1 && "DELIVERED".equals(fixtures.status(orderId)));
        assertEquals(DEPOSIT - Fixtures.PRICE_3_MONTHS, fixtures.balance(buyer), "delivered, not refunded");
    }
}
