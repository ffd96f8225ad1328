package io.premiumbot.worker.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.premiumbot.model.telegram.TelegramRateLimiter.Priority;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.notify.CustomerNotifications.Event;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The buyer hears what became of the order, once, from the Telegram budget gifts leave; a buyer who blocked the
 * bot doesn't hold anything up.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CustomerNotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long DEPOSIT = 20_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    CustomerNotifications notifications;

    @Inject
    TelegramRateLimiter limiter;

    @Inject
    TelegramBudgetConfig budget;

    private List<String> messagesTo(long chatId) {
        return telegram.calls("sendMessage").stream()
                .filter(call -> call.longParam("chat_id") == chatId)
                .map(call -> call.params().get("text"))
                .toList();
    }

    @Test
    void theBuyerIsToldWhenTheGiftIsDelivered() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().atMost(WAIT).until(() -> !messagesTo(buyer).isEmpty());
        assertEquals(
                List.of("Order " + orderId + " is delivered: 3 months of Telegram Premium for user " + recipient
                        + ". Thank you!"),
                messagesTo(buyer));
        assertEquals("DELIVERED", fixtures.status(orderId));
    }

    @Test
    void theBuyerIsToldWhenTelegramRefusedAndTheMoneyCameBack() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNextFor("giftPremiumSubscription", recipient, 400, "Bad Request: user not found");
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().atMost(WAIT).until(() -> !messagesTo(buyer).isEmpty());
        String text = messagesTo(buyer).get(0);
        assertTrue(
                text.contains("could not be delivered")
                        && text.contains("Bad Request: user not found")
                        && text.contains("USDT is back in your wallet"),
                text);
        assertEquals("REFUNDED", fixtures.status(orderId));
    }

    @Test
    void aBuyerWhoBlockedTheBotStillGetsTheOrderDelivered() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        telegram.blockBot(buyer);
        String orderId = fixtures.paidOrder(buyer, recipient);
        String job = Fixtures.job(orderId, 1);
        fixtures.enqueue(job);

        await().atMost(WAIT).until(() -> fixtures.settled(job));
        assertEquals("DELIVERED", fixtures.status(orderId));
        await().atMost(WAIT).until(() -> "BLOCKED".equals(outcome("delivered:" + orderId)));
        // tried once and skipped, not tried again
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> messagesTo(buyer).size() == 1);
    }

    private String outcome(String dedupKey) {
        return fixtures.text(
                "select coalesce(outcome, 'PENDING') from customer_notifications where dedup_key = ?", dedupKey);
    }

    @Test
    void notificationsWaitWhileGiftsUseTheBudgetThenGoOutOnceInOneMessage() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        List<Event> events = List.of(
                Event.delivered("NW" + buyer + "A", buyer, buyer, 3, 13_990_000L),
                Event.delivered("NW" + buyer + "B", buyer, buyer, 6, 17_990_000L),
                Event.delivered("NW" + buyer + "C", buyer, buyer, 12, 29_990_000L));
        // five workers sending gifts back to back for the next ~1.5 s of the shared budget
        List<CompletableFuture<Void>> gifts = new ArrayList<>();
        AtomicReference<Instant> lastGiftGranted = new AtomicReference<>(Instant.EPOCH);
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Void> worker = CompletableFuture.completedFuture(null);
            for (int gift = 0; gift < 9; gift++) {
                worker = worker.thenCompose(
                                ignored -> limiter.acquire(Priority.GIFT).subscribeAsCompletionStage())
                        .thenRun(() -> lastGiftGranted.accumulateAndGet(Instant.now(), (a, b) -> a.isAfter(b) ? a : b));
            }
            gifts.add(worker);
        }

        events.forEach(event -> notifications.enqueue(event).await().atMost(WAIT));

        await().during(Duration.ofMillis(1000))
                .atMost(Duration.ofMillis(1400))
                .until(() -> messagesTo(buyer).isEmpty());
        gifts.forEach(CompletableFuture::join);
        await().atMost(WAIT).until(() -> !messagesTo(buyer).isEmpty());
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> messagesTo(buyer).size() == 1);
        String message = messagesTo(buyer).get(0);
        events.forEach(event -> assertTrue(message.contains("Order " + event.orderId() + " is delivered"), message));
        // the message took a slot after the gifts' last one (one slot's spacing allowed for the gift timer's lateness)
        Instant sent = telegram.calls("sendMessage").stream()
                .filter(call -> call.longParam("chat_id") == buyer)
                .findFirst()
                .orElseThrow()
                .at();
        Duration slot =
                Duration.ofNanos(1_000_000_000L / (budget.rateLimitPerSecond() - budget.rateHeadroomPerSecond()));
        Instant notBefore = lastGiftGranted.get().minus(slot);
        assertTrue(!sent.isBefore(notBefore), "message at " + sent + ", last gift granted " + lastGiftGranted.get());
        events.forEach(event -> assertEquals("SENT", outcome(event.dedupKey())));
    }

    @Test
    void theSameNotificationEnqueuedTwiceIsSentOnce() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        Event event = Event.delivered("TW" + buyer, buyer, buyer, 3, 13_990_000L);

        notifications.enqueue(event).await().atMost(WAIT);
        notifications.enqueue(event).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> "SENT".equals(outcome(event.dedupKey())));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> messagesTo(buyer).size() == 1);
    }

    @Test
    void aNotificationTelegramCouldNotTakeIsSentAgainLater() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        telegram.failNextFor("sendMessage", buyer, 502, "Bad Gateway");
        Event event = Event.delivered("RL" + buyer, buyer, buyer, 3, 13_990_000L);

        notifications.enqueue(event).await().atMost(WAIT);

        await().atMost(WAIT).until(() -> "SENT".equals(outcome(event.dedupKey())));
        assertEquals(2, messagesTo(buyer).size(), "one refused with 502, one delivered");
    }
}
