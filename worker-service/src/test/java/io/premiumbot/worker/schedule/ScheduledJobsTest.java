package io.premiumbot.worker.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** The scheduled jobs, run by hand (their schedules are off in tests) against real PostgreSQL and Redis. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ScheduledJobsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    @Inject
    ExpireUnpaidOrders expireUnpaidOrders;

    @Inject
    ReconcileStalledOrders reconcile;

    @Test
    void expiresUnpaidOrdersPastTheirTimeAndTheGraceWithTheirPaymentRequests() throws Throwable {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String late = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
        fixtures.update("update orders set expires_at = now() - interval '10 minutes' where id = ?", late);
        String onTime = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
        long lateRequest =
                fixtures.paymentRequest(buyer, late, 13_990_000L + buyer % 1_000_000, Duration.ofMinutes(-10));
        long openRequest =
                fixtures.paymentRequest(buyer, onTime, 13_990_001L + buyer % 1_000_000, Duration.ofMinutes(30));

        int expired = VertxContextSupport.subscribeAndAwait(() -> expireUnpaidOrders.expire());

        assertTrue(expired >= 1, "expired " + expired);
        assertEquals("EXPIRED", fixtures.status(late));
        assertEquals("EXPIRED", fixtures.paymentRequestStatus(lateRequest));
        assertEquals("PENDING_PAYMENT", fixtures.status(onTime));
        assertEquals("OPEN", fixtures.paymentRequestStatus(openRequest));
    }

    @Test
    void twoExpiryRunsAtOnceExpireEachOrderOnceAndNeverAPaidOne() throws Throwable {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String orderId = fixtures.orderInStatus(buyer, "PENDING_PAYMENT", Duration.ZERO);
            fixtures.update("update orders set expires_at = now() - interval '10 minutes' where id = ?", orderId);
            late.add(orderId);
        }
        String paidLate = fixtures.orderInStatus(buyer, "PAID", Duration.ZERO);
        fixtures.update("update orders set expires_at = now() - interval '10 minutes' where id = ?", paidLate);
        long due = Long.parseLong(
                fixtures.text(
                        "select count(*) from orders where status = 'PENDING_PAYMENT' and expires_at < now() - interval '3 minutes'"));

        List<Integer> runs = VertxContextSupport.subscribeAndAwait(() -> Uni.join()
                .all(
                        Uni.createFrom().deferred(() -> expireUnpaidOrders.expire()),
                        Uni.createFrom().deferred(() -> expireUnpaidOrders.expire()))
                .andFailFast());

        assertEquals(due, runs.get(0) + runs.get(1), "both runs together expired each due order once: " + runs);
        for (String orderId : late) {
            assertEquals("EXPIRED", fixtures.status(orderId));
        }
        assertEquals("PAID", fixtures.status(paidLate), "a paid order never expires");
    }

    @Test
    void enqueuesPaidOrdersThatStoppedMovingAndTheyGetDelivered() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        String stalled = fixtures.orderInStatus(buyer, "PAID", Duration.ofMinutes(10));

        int enqueued = VertxContextSupport.subscribeAndAwait(() -> reconcile.requeueStalledPaid());

        assertTrue(enqueued >= 1, "enqueued " + enqueued);
        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.status(stalled)));
    }

    @Test
    void aDeadWorkersDeliveryIsSettledAsDeliveredWhenTheGiftIsThere() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        telegram.addGiftTransaction(recipient, 3);
        String orderId =
                fixtures.deliveringOrder(buyer, recipient, "killed-worker-" + recipient, Duration.ofSeconds(3), true);

        int settled = VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());

        assertTrue(settled >= 1, "settled " + settled);
        assertEquals("DELIVERED", fixtures.status(orderId));
        assertEquals(0, giftsTo(recipient), "nothing sent again");
    }

    @Test
    void aDeadWorkersDeliveryIsSentAgainOnceWhenTheGiftProvablyIsNotThere() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        String orderId =
                fixtures.deliveringOrder(buyer, recipient, "killed-worker-" + recipient, Duration.ofSeconds(3), true);

        // the first run's read witnesses that Telegram caught up; a run after the listing lag proves the absence
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            try {
                VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            return !"DELIVERING".equals(fixtures.status(orderId));
        });

        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.status(orderId)));
        VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> giftsTo(recipient) == 1);
    }

    @Test
    void aDeadWorkersDeliveryIsUnknownOnlyWhenTelegramCannotTell() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        telegram.failNext("getStarTransactions", 502, "Bad Gateway");
        String orderId =
                fixtures.deliveringOrder(buyer, recipient, "killed-worker-" + recipient, Duration.ofSeconds(3), true);

        VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());

        assertEquals("DELIVERY_UNKNOWN", fixtures.status(orderId));
        assertEquals(0, giftsTo(recipient));
    }

    @Test
    void aDeadWorkersDeliveryThatNeverWentOutIsSentWithoutAskingTelegram() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        String orderId =
                fixtures.deliveringOrder(buyer, recipient, "killed-worker-" + recipient, Duration.ofSeconds(1), false);

        VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());

        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.status(orderId)));
        assertEquals(1, giftsTo(recipient));
        assertEquals(0, telegram.calls("getStarTransactions").size());
    }

    @Test
    void aLiveWorkersDeliveryIsLeftToIt() throws Throwable {
        long buyer = fixtures.userWithDeposit(20_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.deliveringOrder(buyer, recipient, Fixtures.WORKER, Duration.ofSeconds(3), true);

        VertxContextSupport.subscribeAndAwait(() -> reconcile.settleLostDeliveries());

        assertEquals("DELIVERING", fixtures.status(orderId));
        assertEquals(0, giftsTo(recipient));
        fixtures.update(
                "update delivery_attempts set finished_at = now(), outcome = 'DELIVERED' where order_id = ?", orderId);
        fixtures.update("update orders set status = 'DELIVERED' where id = ?", orderId);
    }

    private long giftsTo(long recipient) {
        return telegram.calls("giftPremiumSubscription").stream()
                .filter(call -> call.longParam("user_id") == recipient)
                .count();
    }
}
