package io.premiumbot.worker.treasury;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.treasury.StarTreasuryNumbers;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/** The worker keeps the bot's Stars balance in PostgreSQL, where api-service checks every purchase against it. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StarTreasuryReadsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    RefreshStarBalance refresh;

    @Inject
    TreasuryGauges gauges;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    private long storedBalance() {
        return Long.parseLong(fixtures.text("select balance::text from star_treasury where id = 1"));
    }

    @Test
    void theScheduledReadStoresTheBalanceInPostgres() {
        telegram.starBalance(123_456);

        refresh.refresh().await().atMost(WAIT);

        assertEquals(123_456, storedBalance());
    }

    @Test
    void theBalanceIsReadAgainRightAfterAGift() {
        telegram.starBalance(50_000);
        refresh.refresh().await().atMost(WAIT);
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String orderId = fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());

        fixtures.enqueue(Fixtures.job(orderId, 1));

        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.status(orderId)));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(49_000, storedBalance()));
    }

    @Test
    void anOlderReadNeverOverwritesANewerOne() {
        telegram.starBalance(7_000);
        refresh.refresh().await().atMost(WAIT);
        fixtures.update("update star_treasury set balance_at = now() + interval '1 hour' where id = 1");
        telegram.starBalance(1);

        refresh.refresh().await().atMost(WAIT);

        assertEquals(7_000, storedBalance());
        fixtures.update("update star_treasury set balance_at = now() where id = 1");
    }

    @Test
    void theGaugesShowBalanceReservedAvailableAndRunway() throws Throwable {
        telegram.starBalance(1_000_000_000L);
        refresh.refresh().await().atMost(WAIT);
        long buyer = fixtures.userWithDeposit(20_000_000L);
        fixtures.paidOrder(buyer, fixtures.anotherTelegramUser());

        VertxContextSupport.subscribeAndAwait(() -> gauges.refresh());

        StarTreasuryNumbers numbers = gauges.last();
        assertEquals(1_000_000_000L, numbers.balance());
        assertTrue(numbers.paid() >= 1000, "the paid order's gift is reserved: " + numbers);
        assertEquals(numbers.balance() - numbers.reserved(), numbers.available(0));
        assertTrue(numbers.runwayHours(0) > 0);
    }
}
