package io.premiumbot.worker.payments;

import static io.premiumbot.worker.support.FakeTronGridResource.RECEIVE_ADDRESS;
import static io.premiumbot.worker.support.PaymentFixtures.PRICE_3_MONTHS;
import static io.premiumbot.worker.support.PaymentFixtures.payerAddress;
import static io.premiumbot.worker.support.PaymentFixtures.uniqueAmount;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.FakeTronGrid;
import io.premiumbot.testkit.FakeTronGrid.Transfer;
import io.premiumbot.worker.payments.TransferOutcome.Kind;
import io.premiumbot.worker.schedule.ExpireUnpaidOrders;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.FakeTronGridResource;
import io.premiumbot.worker.support.FakeTronGridResource.InjectFakeTronGrid;
import io.premiumbot.worker.support.PaymentFixtures;
import io.premiumbot.worker.support.PaymentFixtures.PendingOrder;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * Who an on-chain transfer belongs to, and what its payer is told: one request holds an amount from its creation to
 * the end of its quarantine, a transfer pays only the request open at its block time, nobody is guessed, and every
 * credit is told to the customer. Real PostgreSQL and Redis, fake TronGrid and Bot API on loopback.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeTronGridResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OnChainPaymentsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @InjectFakeTronGrid
    FakeTronGrid tronGrid;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    PaymentFixtures fixtures;

    @Inject
    Trc20Poller poller;

    @Inject
    IncomingTransfers incomingTransfers;

    @Inject
    ExpireUnpaidOrders expiry;

    @BeforeEach
    void freshFakes() {
        tronGrid.reset();
        telegram.reset();
    }

    @AfterEach
    void everyBalanceIsItsLedger() {
        fixtures.assertEveryTrackedBalanceIsItsLedger();
    }

    private long user() {
        return fixtures.trackedUser();
    }

    private Trc20Poller.PollResult poll() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> poller.poll());
    }

    private TransferOutcome book(long micros, Instant blockTime) throws Throwable {
        Transfer t = Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, micros, blockTime);
        return VertxContextSupport.subscribeAndAwait(
                () -> incomingTransfers.book(PolledTransfers.of(t), RECEIVE_ADDRESS));
    }

    private List<String> messagesTo(long user) {
        return telegram.calls("sendMessage").stream()
                .filter(call -> call.longParam("chat_id") == user)
                .map(call -> call.params().get("text"))
                .toList();
    }

    @Test
    void theDatabaseRefusesASecondHolderWhileAClosedRequestsAmountIsInQuarantine() {
        long earlier = user();
        long later = user();
        long amount = uniqueAmount();
        fixtures.requestBack(earlier, null, amount, "EXPIRED", Duration.ofMinutes(90), Duration.ofMinutes(60));

        IllegalStateException refused = assertThrows(
                IllegalStateException.class, () -> fixtures.request(later, null, amount, Duration.ofMinutes(30)));

        assertTrue(
                String.valueOf(refused.getCause().getMessage()).contains("payment_requests_amount_held_once"),
                refused.getCause().getMessage());
        assertEquals(0, fixtures.number("select count(*) from payment_requests where user_id = ?", later));
    }

    @Test
    void aLatePaymentWithinTheQuarantineGoesToItsHolderWhoIsToldInTheirLanguage() throws Throwable {
        long holder = user();
        fixtures.update("update users set language_code = 'zh-hans' where telegram_id = ?", holder);
        long amount = PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(holder, amount);
        fixtures.backdate(order, Duration.ofMinutes(90), Duration.ofMinutes(60));
        fixtures.update("update orders set status = 'EXPIRED' where id = ?", order.id());
        fixtures.update("update payment_requests set status = 'EXPIRED' where id = ?", order.requestId());

        Transfer late = Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusMillis(2));
        tronGrid.add(late);

        poll();

        assertEquals("CREDITED " + holder, fixtures.payment(late.transactionId()));
        assertEquals(amount, fixtures.balance(holder), "in the wallet, no order paid");
        assertEquals("EXPIRED", fixtures.orderStatus(order.id()));
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(1, messagesTo(holder).size()));
        String text = messagesTo(holder).get(0);
        assertTrue(text.startsWith("您为订单 " + order.id()) && text.contains("到期后才到账"), text);
    }

    @Test
    void aTransferAfterTheQuarantineOrBeforeTheNextRequestMatchesNobody() throws Throwable {
        long longAgo = user();
        long now = user();
        long amount = uniqueAmount();
        // held until expiry + 24 h: that ended an hour and a half ago
        fixtures.requestBack(longAgo, null, amount, "EXPIRED", Duration.ofHours(26), Duration.ofMinutes(25 * 60 + 30));
        long current = fixtures.request(now, null, amount, Duration.ofMinutes(30));

        TransferOutcome outcome = book(amount, Instant.now().minus(Duration.ofHours(1)));

        assertEquals(Kind.UNMATCHED, outcome.kind());
        assertEquals(0, fixtures.balance(longAgo), "its quarantine was over: no longer its holder's");
        assertEquals(0, fixtures.balance(now), "sent before this request existed");
        assertEquals("OPEN", fixtures.requestStatus(current));
    }

    @Test
    void aTransferFromAnAddressThatPaidBeforeIsListedForTheOperatorNeverGuessed() throws Throwable {
        long user = user();
        String exchangeHotWallet = payerAddress();
        long topUpAmount = uniqueAmount();
        fixtures.request(user, null, topUpAmount, Duration.ofMinutes(30));
        tronGrid.add(Transfer.usdt(
                exchangeHotWallet, RECEIVE_ADDRESS, topUpAmount, Instant.now().plusMillis(2)));
        poll();
        Transfer other = Transfer.usdt(
                exchangeHotWallet,
                RECEIVE_ADDRESS,
                uniqueAmount(),
                Instant.now().plusMillis(4));
        tronGrid.add(other);

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.UNMATCHED), result.toString());
        assertEquals("UNMATCHED null", fixtures.payment(other.transactionId()));
        assertEquals(topUpAmount, fixtures.balance(user), "only the matched top-up");
    }

    @Test
    void aPaymentJustBeforeExpiryPaysTheOrderBecauseExpiryWaitsOutTheGrace() throws Throwable {
        long user = user();
        long amount = PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        fixtures.backdate(order, Duration.ofMinutes(31), Duration.ofMinutes(1));

        VertxContextSupport.subscribeAndAwait(() -> expiry.expire());
        assertEquals(
                "PENDING_PAYMENT",
                fixtures.orderStatus(order.id()),
                "a minute past expiry is within the 3-minute grace");
        tronGrid.add(Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().minus(Duration.ofMinutes(2))));
        poll();

        assertEquals("PAID", fixtures.requestStatus(order.requestId()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.orderStatus(order.id())));
        assertEquals(amount - PRICE_3_MONTHS, fixtures.balance(user));
    }

    @Test
    void aPaymentMadeInTimeButSeenAfterTheOrderExpiredRevivesTheOrder() throws Throwable {
        long user = user();
        long amount = PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        fixtures.backdate(order, Duration.ofMinutes(40), Duration.ofMinutes(10));
        VertxContextSupport.subscribeAndAwait(() -> expiry.expire());
        assertEquals("EXPIRED", fixtures.orderStatus(order.id()));
        tronGrid.add(Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().minus(Duration.ofMinutes(11))));

        poll();

        assertEquals("PAID", fixtures.requestStatus(order.requestId()));
        assertEquals(
                amount - PRICE_3_MONTHS, fixtures.balance(user), "the order was paid, not just the wallet credited");
        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.orderStatus(order.id())));
        await().atMost(WAIT)
                .untilAsserted(() -> assertTrue(
                        messagesTo(user).stream().anyMatch(text -> text.startsWith("Order " + order.id() + " is paid")),
                        messagesTo(user).toString()));
    }

    @Test
    void aTopUpThatArrivesIsToldToTheCustomerWithTheNewBalance() throws Throwable {
        long user = user();
        long amount = uniqueAmount();
        fixtures.request(user, null, amount, Duration.ofMinutes(30));
        tronGrid.add(Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusMillis(2)));

        poll();

        String money = io.premiumbot.model.money.Money.ofMicros(amount).toString();
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        List.of(money + " has arrived in your wallet; it now holds " + money
                                + ". /buy pays from it at once."),
                        messagesTo(user)));
    }

    @Test
    void theSameAmountSentTwiceForAnOrderPaysOnceAndTheSecondIsToldAsAlreadyPaid() throws Throwable {
        long user = user();
        long amount = PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        tronGrid.add(Transfer.usdt(
                        payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusMillis(2)))
                .add(Transfer.usdt(
                        payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusMillis(4)));

        poll();

        assertEquals(
                2 * amount - PRICE_3_MONTHS, fixtures.balance(user), "one order payment, both transfers in the wallet");
        assertEquals(
                1,
                fixtures.number(
                        "select count(*) from ledger_entries where user_id = ? and reason = 'ORDER_PAYMENT'", user));
        await().atMost(WAIT)
                .untilAsserted(() -> assertTrue(
                        messagesTo(user).stream()
                                .anyMatch(text -> text.contains("Order " + order.id() + " was already paid")),
                        messagesTo(user).toString()));
    }

    @Test
    void aPaymentThatDoesNotCoverTheOrderLeavesItWaitingAndTellsTheCustomer() throws Throwable {
        long user = user();
        // api-service always asks the full price or more; the worker still never pays an order the wallet can't cover
        long amount = 2_000_000L + uniqueAmount() % 1_000_000;
        PendingOrder order = fixtures.pendingOrder(user, amount);
        tronGrid.add(Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusMillis(2)));

        poll();

        assertEquals(amount, fixtures.balance(user));
        assertEquals("PENDING_PAYMENT", fixtures.orderStatus(order.id()));
        await().atMost(WAIT)
                .untilAsserted(() -> assertTrue(
                        messagesTo(user).stream()
                                .anyMatch(
                                        text -> text.contains("does not cover the order") && text.contains(order.id())),
                        messagesTo(user).toString()));
    }
}
