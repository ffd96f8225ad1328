package io.premiumbot.worker.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.premiumbot.worker.telegram.TelegramConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Deliveries (gifts and the notifications after them) never make a Telegram that counts per second answer 429. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramRateTest {

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    TelegramConfig config;

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
        await().atMost(Duration.ofSeconds(30)).until(() -> orders.stream().allMatch(id -> "DELIVERED".equals(fixtures.status(id))));
        assertEquals(0, telegram.rateLimitedCount(), "429s provoked");
    }
}
