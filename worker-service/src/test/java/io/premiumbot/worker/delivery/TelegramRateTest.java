package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Deliveries (gifts and the notifications after them) never make a Telegram that counts per second answer 429,
 * and every buyer hears of every order once.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramRateTest {

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    TelegramBudgetConfig config;

    @AfterEach
    void unlimited() {
        telegram.rateLimitPerSecond(0);
    }

    @Test
    void aBatchAtTheConfiguredRateProvokesNo429() {
        telegram.rateLimitPerSecond(config.rateLimitPerSecond());
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long buyer = fixtures.userWithDeposit(20_000_000L);
            String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());
            orders.add(orderId);
            fixtures.enqueue(Fixtures.job(orderId, 1));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> orders.stream().allMatch(id -> "DELIVERED".equals(fixtures.status(id))));
        assertEquals(0, telegram.rateLimitedCount(), "429s provoked");
    }

    @Test
    void everyOrderOfABurstIsToldToItsBuyerOnceAfterTheGifts() {
        telegram.rateLimitPerSecond(config.rateLimitPerSecond());
        List<Long> buyers = List.of(
                fixtures.userWithDeposit(200_000_000L),
                fixtures.userWithDeposit(200_000_000L),
                fixtures.userWithDeposit(200_000_000L),
                fixtures.userWithDeposit(200_000_000L));
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String orderId = fixtures.paidOrder(buyers.get(i % buyers.size()), fixtures.anotherTelegramUser());
            orders.add(orderId);
            fixtures.enqueue(Fixtures.job(orderId, 1));
        }

        // on a starved machine a gift can outlive the test's 1 s call timeout (DELIVERY_UNKNOWN, nobody told): not this
        // test's point
        await().atMost(Duration.ofSeconds(30))
                .until(() -> orders.stream()
                        .map(fixtures::status)
                        .allMatch(status -> "DELIVERED".equals(status) || "DELIVERY_UNKNOWN".equals(status)));
        List<String> delivered = orders.stream()
                .filter(id -> "DELIVERED".equals(fixtures.status(id)))
                .toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.stream().allMatch(id -> timesTold(id) > 0));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> delivered.stream().allMatch(id -> timesTold(id) == 1));
        long messages = telegram.calls("sendMessage").stream()
                .filter(call -> buyers.contains(call.longParam("chat_id")))
                .count();
        assertTrue(messages <= orders.size(), messages + " messages for " + orders.size() + " orders");
        assertEquals(0, telegram.rateLimitedCount(), "429s provoked");
    }

    private long timesTold(String orderId) {
        return telegram.calls("sendMessage").stream()
                .filter(call -> call.params().get("text").contains("Order " + orderId + " is delivered"))
                .count();
    }
}
