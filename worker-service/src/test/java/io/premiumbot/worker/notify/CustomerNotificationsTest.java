package io.premiumbot.worker.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The buyer hears what became of the order, and a buyer who blocked the bot doesn't hold anything up. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CustomerNotificationsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long DEPOSIT = 20_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    private List<String> messagesTo(long chatId) {
        return telegram.calls("sendMessage").stream().filter(call -> call.longParam("chat_id") == chatId)
                .map(call -> call.params().get("text")).toList();
    }

    @Test
    void theBuyerIsToldWhenTheGiftIsDelivered() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().atMost(WAIT).until(() -> !messagesTo(buyer).isEmpty());
        assertEquals(List.of("Order " + orderId + " is delivered: 3 months of Telegram Premium for user " + recipient + ". Thank you!"),
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
        assertTrue(text.contains("could not be delivered") && text.contains("Bad Request: user not found")
                && text.contains("USDT is back in your wallet"), text);
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
        assertEquals(1, telegram.calls("sendMessage").stream().filter(call -> call.longParam("chat_id") == buyer).count(),
                "the notification was tried once and skipped");
    }
}
