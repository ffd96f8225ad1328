package io.premiumbot.worker.refunds;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.order.OrderIds;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/** Stars go back as Stars: refundStarPayment with the order's charge, recorded, retried and verified by the worker. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StarRefundsTest {

    private static final String REFUND = "refundStarPayment";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    RefundStarPayments refunds;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
    }

    /** A 3-month order paid with 1000 Stars by {@code buyer} (no wallet money involved), the charge kept on the order. */
    private String starsPaidOrder(long buyer, long recipient, String status, String chargeId) {
        String id = OrderIds.next();
        fixtures.update("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status, paid_at, star_charge_id)
                values (?, ?, ?, 3, 1000, ?, 'STARS', ?, now(), ?)""", id, buyer, recipient, Fixtures.PRICE_3_MONTHS, status, chargeId);
        fixtures.update("""
                insert into payments (provider, external_id, currency, amount_micros, user_id, status, occurred_at)
                values ('STARS', ?, 'XTR', 1000000000, ?, 'CREDITED', now())""", chargeId, buyer);
        return id;
    }

    /** A FAILED Stars order whose refund is requested, as the delivery or the operator leaves it. */
    private String failedStarsOrderAwaitingRefund(long buyer, String chargeId) {
        String orderId = starsPaidOrder(buyer, fixtures.anotherTelegramUser(), "FAILED", chargeId);
        fixtures.update(
                "insert into star_refunds (charge_id, user_id, order_id, stars, reason) values (?, ?, ?, 1000, 'UNDELIVERABLE')",
                chargeId,
                buyer,
                orderId);
        return orderId;
    }

    /** A FAILED Stars order for {@code recipient} whose refund is PENDING. */
    private String failedStarsOrderAwaitingRefund(long buyer, long recipient, String chargeId) {
        String orderId = starsPaidOrder(buyer, recipient, "FAILED", chargeId);
        fixtures.update(
                "insert into star_refunds (charge_id, user_id, order_id, stars, reason) values (?, ?, ?, 1000, 'UNDELIVERABLE')",
                chargeId,
                buyer,
                orderId);
        return orderId;
    }

    /**
     * The order moved to {@code status} past PostgreSQL's guard, as a retry could move it before migration V14 (the
     * guard is off only inside this one transaction).
     */
    private void movedPastTheGuard(String orderId, String status) {
        fixtures.together(
                new Fixtures.Statement("alter table orders disable trigger orders_refund_is_final"),
                new Fixtures.Statement("update orders set status = ? where id = ?", status, orderId),
                new Fixtures.Statement("alter table orders enable trigger orders_refund_is_final"));
    }

    private static String sqlState(Throwable refused) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private String refundStatus(String chargeId) {
        return fixtures.text("select status from star_refunds where charge_id = ?", chargeId);
    }

    private String refundOutcome(String chargeId) {
        return fixtures.text("select coalesce(outcome, '') from star_refunds where charge_id = ?", chargeId);
    }

    private List<FakeBotApi.Call> refundCalls(String chargeId) {
        return telegram.calls(REFUND).stream()
                .filter(call -> chargeId.equals(call.params().get("telegram_payment_charge_id")))
                .toList();
    }

    private void refundDue() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> refunds.refundDue());
        } catch (Throwable e) {
            throw new AssertionError("the refund run failed", e);
        }
    }

    @Test
    void aStarsOrderTelegramRefusesToDeliverIsRefundedInStarsNotToTheWallet() {
        telegram.onlyKnownUsers();
        long buyer = fixtures.userWithDeposit(1_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        String charge = "charge-" + OrderIds.next();
        telegram.starPayment(buyer, charge);
        String orderId = starsPaidOrder(buyer, recipient, "PAID", charge);

        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        "PENDING",
                        fixtures.text(
                                "select coalesce((select status from star_refunds where order_id = ?), 'NONE')",
                                orderId)));
        assertEquals("FAILED", fixtures.status(orderId));

        refundDue();

        List<FakeBotApi.Call> calls = refundCalls(charge);
        assertEquals(1, calls.size());
        assertEquals(buyer, calls.get(0).longParam("user_id"));
        assertEquals("REFUNDED", refundStatus(charge));
        assertEquals("refunded", refundOutcome(charge));
        assertEquals("REFUNDED", fixtures.status(orderId));
        assertEquals(0, fixtures.refundEntries(orderId));
        assertEquals(1_000_000L, fixtures.balance(buyer));
    }

    @Test
    void aStarsRefundTelegramCouldNotTakeIsTriedAgainUntilItIsDone() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String charge = "charge-" + OrderIds.next();
        String orderId = failedStarsOrderAwaitingRefund(buyer, charge);
        telegram.failNextFor(REFUND, buyer, 502, "Bad Gateway");

        refundDue();
        assertEquals("PENDING", refundStatus(charge));
        assertEquals("1", fixtures.text("select attempts from star_refunds where charge_id = ?", charge));
        assertTrue(fixtures.text("select last_error from star_refunds where charge_id = ?", charge)
                .contains("502"));
        assertEquals("FAILED", fixtures.status(orderId));

        await().atMost(WAIT).untilAsserted(() -> {
            refundDue();
            assertEquals("REFUNDED", refundStatus(charge));
        });
        assertEquals(2, refundCalls(charge).size());
        assertEquals("REFUNDED", fixtures.status(orderId));
    }

    @Test
    void aStarsRefundWhoseAnswerWasLostIsProvedDoneByChargeAlreadyRefunded() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String charge = "charge-" + OrderIds.next();
        String orderId = failedStarsOrderAwaitingRefund(buyer, charge);
        // carried out, answered only after the worker's call timeout
        telegram.hangNextFor(REFUND, buyer, Duration.ofSeconds(2));

        refundDue();
        assertEquals("PENDING", refundStatus(charge));

        await().atMost(WAIT).untilAsserted(() -> {
            refundDue();
            assertEquals("REFUNDED", refundStatus(charge));
        });
        assertEquals("already_refunded", refundOutcome(charge));
        assertEquals("REFUNDED", fixtures.status(orderId));
        assertEquals(
                1, telegram.refundedCharges().stream().filter(charge::equals).count());
    }

    @Test
    void aStarsRefundTelegramRefusesIsLeftForTheOperatorAndNotTriedAgain() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String charge = "charge-" + OrderIds.next();
        String orderId = failedStarsOrderAwaitingRefund(buyer, charge);
        telegram.starPayment(fixtures.anotherTelegramUser(), charge);

        refundDue();

        assertEquals("REFUSED", refundStatus(charge));
        assertTrue(fixtures.text("select last_error from star_refunds where charge_id = ?", charge)
                .contains("CHARGE_NOT_FOUND"));
        assertEquals("FAILED", fixtures.status(orderId));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            refundDue();
            assertEquals(1, refundCalls(charge).size());
        });
    }

    @Test
    void starsThatCouldNotPayAnOrderAreRefundedWithoutTouchingAnyOrder() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        long other = fixtures.userWithDeposit(1_000_000L);
        String othersCharge = "charge-" + OrderIds.next();
        String othersFailedOrder = starsPaidOrder(other, other, "FAILED", othersCharge);
        String charge = "late-" + OrderIds.next();
        fixtures.update(
                "insert into star_refunds (charge_id, user_id, order_id, stars, reason) values (?, ?, ?, 1000, 'NOT_PAYABLE')",
                charge,
                buyer,
                othersFailedOrder);

        refundDue();

        assertEquals("REFUNDED", refundStatus(charge));
        assertEquals(buyer, refundCalls(charge).get(0).longParam("user_id"));
        assertEquals("FAILED", fixtures.status(othersFailedOrder));
    }

    @Test
    void aSecondFailureAfterARetryStillEndsInARefund() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        telegram.onlyKnownUsers();
        String charge = "charge-" + OrderIds.next();
        telegram.starPayment(buyer, charge);
        String orderId = starsPaidOrder(buyer, recipient, "PAID", charge);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT)
                .until(() -> "FAILED".equals(fixtures.status(orderId)) && "PENDING".equals(refundStatus(charge)));
        telegram.failNextFor(REFUND, buyer, 400, "Bad Request: BALANCE_TOO_LOW");
        refundDue();
        assertEquals("REFUSED", refundStatus(charge));

        // nothing went back, so the operator may retry; the gift is refused once more
        fixtures.update(
                "update orders set status = 'PAID', updated_at = now() where id = ? and status = 'FAILED'", orderId);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT)
                .until(() -> "FAILED".equals(fixtures.status(orderId)) && "PENDING".equals(refundStatus(charge)));
        refundDue();

        assertEquals("REFUNDED", refundStatus(charge));
        assertEquals("REFUNDED", fixtures.status(orderId));
        assertEquals(2, refundCalls(charge).size());
        assertEquals(
                Set.of(charge),
                telegram.refundedCharges().stream().filter(charge::equals).collect(Collectors.toSet()));
    }

    @Test
    void aRefundWaitsWhileARetryOvertookItAndGoesOutOnlyWhenTheRetriedGiftFailsToo() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        long recipient = fixtures.anotherTelegramUser();
        telegram.onlyKnownUsers();
        String charge = "charge-" + OrderIds.next();
        telegram.starPayment(buyer, charge);
        String orderId = failedStarsOrderAwaitingRefund(buyer, recipient, charge);
        movedPastTheGuard(orderId, "PAID");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            refundDue();
            assertEquals(0, refundCalls(charge).size(), "refunded while its gift may still be made");
        });
        assertEquals("PENDING", refundStatus(charge));

        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT).until(() -> "FAILED".equals(fixtures.status(orderId)));
        refundDue();

        assertEquals("REFUNDED", refundStatus(charge));
        assertEquals("REFUNDED", fixtures.status(orderId));
        assertEquals(1, refundCalls(charge).size());
    }

    @Test
    void aRefundOfAnOrderDeliveredMeanwhileIsWithdrawnAndNeverSent() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String charge = "charge-" + OrderIds.next();
        telegram.starPayment(buyer, charge);
        String orderId = failedStarsOrderAwaitingRefund(buyer, charge);
        movedPastTheGuard(orderId, "DELIVERED");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            refundDue();
            assertEquals(0, refundCalls(charge).size(), "refunded a delivered order");
        });
        assertEquals("WITHDRAWN", refundStatus(charge));
        assertEquals("DELIVERED", fixtures.status(orderId));
    }

    @Test
    void theDatabaseRefusesToRetryAnOrderWhoseStarsRefundIsUnderway() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String orderId = failedStarsOrderAwaitingRefund(buyer, "charge-" + OrderIds.next());

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> fixtures.update("update orders set status = 'PAID' where id = ?", orderId));

        assertEquals("23514", sqlState(refused));
        assertEquals("FAILED", fixtures.status(orderId));
    }

    @Test
    void theDatabaseRefusesAStarsRefundOfAnOrderThatIsNotFailed() {
        long buyer = fixtures.userWithDeposit(1_000_000L);
        String charge = "charge-" + OrderIds.next();
        String orderId = starsPaidOrder(buyer, fixtures.anotherTelegramUser(), "DELIVERED", charge);

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> fixtures.update(
                        "insert into star_refunds (charge_id, user_id, order_id, stars, reason) values (?, ?, ?, 1000, 'UNDELIVERABLE')",
                        charge,
                        buyer,
                        orderId));

        assertEquals("23514", sqlState(refused));
        assertEquals(
                "NONE",
                fixtures.text(
                        "select coalesce((select status from star_refunds where charge_id = ?), 'NONE')", charge));
    }
}
