package io.premiumbot.worker.payments;

import static io.premiumbot.worker.support.FakeTronGridResource.RECEIVE_ADDRESS;
import static io.premiumbot.worker.support.PaymentFixtures.payerAddress;
import static io.premiumbot.worker.support.PaymentFixtures.uniqueAmount;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.FakeTronGrid;
import io.premiumbot.testkit.FakeTronGrid.Transfer;
import io.premiumbot.worker.payments.TransferOutcome.Kind;
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
 * The TRC20 poller against the fake TronGrid on loopback and real PostgreSQL and Redis (its schedule is off in
 * tests; each test polls by hand). The delivery consumer runs, so a paid order goes all the way to the fake Bot API.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeTronGridResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class Trc20PollerTest {

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

    private static Transfer usdt(long micros) {
        return Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, micros, afterNow());
    }

    /** A block time after every row written so far (block times are whole milliseconds, the database's micro). */
    private static Instant afterNow() {
        return Instant.now().plusMillis(2);
    }

    @Test
    void theSameTransferSeenTwiceCreditsOnce() throws Throwable {
        long user = user();
        long amount = uniqueAmount();
        long request = fixtures.request(user, null, amount, Duration.ofMinutes(30));
        Transfer transfer = usdt(amount);
        tronGrid.add(transfer);

        Trc20Poller.PollResult first = poll();
        Trc20Poller.PollResult second = poll();

        assertEquals(1, first.count(Kind.CREDITED), first.toString());
        assertEquals(0, second.count(Kind.CREDITED), "the overlap reads it again: " + second);
        assertEquals(1, second.count(Kind.DUPLICATE), second.toString());
        assertEquals(amount, fixtures.balance(user));
        assertEquals(
                List.of("DEPOSIT " + amount + " trc20:" + PolledTransfers.eventId(transfer)), fixtures.ledger(user));
        assertEquals(1, fixtures.payments(transfer.transactionId()));
        assertEquals("PAID", fixtures.requestStatus(request), "a top-up request is settled by its payment");
    }

    @Test
    void aTokenCalledUsdtFromAnotherContractIsIgnored() throws Throwable {
        long user = user();
        long amount = uniqueAmount();
        long request = fixtures.request(user, null, amount, Duration.ofMinutes(30));
        Transfer fake = usdt(amount).withToken("TFakeUsdtContract11111111111111111", "USDT", 6);

        TransferOutcome outcome = VertxContextSupport.subscribeAndAwait(
                () -> incomingTransfers.book(PolledTransfers.of(fake), RECEIVE_ADDRESS));
        tronGrid.add(fake);
        Trc20Poller.PollResult polled = poll();

        assertEquals(Kind.IGNORED, outcome.kind());
        assertEquals("not_usdt_contract", outcome.detail());
        assertEquals(0, polled.count(Kind.CREDITED) + polled.count(Kind.UNMATCHED), polled.toString());
        assertEquals(0, fixtures.payments(fake.transactionId()));
        assertEquals(0, fixtures.balance(user));
        assertEquals("OPEN", fixtures.requestStatus(request));
    }

    @Test
    void realUsdtWithOtherDecimalsOrToAnotherAddressIsIgnored() throws Throwable {
        long amount = uniqueAmount();
        Transfer wrongDecimals = usdt(amount).withToken(FakeTronGrid.USDT_CONTRACT, "USDT", 18);
        Transfer elsewhere = Transfer.usdt(payerAddress(), "TSomeoneElse111111111111111111111", amount, Instant.now());

        TransferOutcome decimals = VertxContextSupport.subscribeAndAwait(
                () -> incomingTransfers.book(PolledTransfers.of(wrongDecimals), RECEIVE_ADDRESS));
        TransferOutcome address = VertxContextSupport.subscribeAndAwait(
                () -> incomingTransfers.book(PolledTransfers.of(elsewhere), RECEIVE_ADDRESS));

        assertEquals("decimals_not_6", decimals.detail());
        assertEquals("not_to_receive_address", address.detail());
        assertEquals(
                0, fixtures.payments(wrongDecimals.transactionId()) + fixtures.payments(elsewhere.transactionId()));
    }

    @Test
    void aTransferOlderThanTheRequestDoesNotMatchIt() throws Throwable {
        long user = user();
        long amount = uniqueAmount();
        long request = fixtures.request(user, null, amount, Duration.ofMinutes(30));
        Transfer before = Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().minus(Duration.ofMinutes(5)));
        tronGrid.add(before);

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.UNMATCHED), result.toString());
        assertEquals("UNMATCHED null", fixtures.payment(before.transactionId()));
        assertEquals(0, fixtures.balance(user));
        assertEquals("OPEN", fixtures.requestStatus(request));
    }

    @Test
    void aLatePaymentLandsInTheWalletAndPaysNothing() throws Throwable {
        long user = user();
        long amount = PaymentFixtures.PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        fixtures.backdate(order, Duration.ofMinutes(40), Duration.ofMinutes(10));
        fixtures.update("update orders set status = 'EXPIRED' where id = ?", order.id());
        fixtures.update("update payment_requests set status = 'EXPIRED' where id = ?", order.requestId());
        Transfer late = usdt(amount);
        tronGrid.add(late);

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.CREDITED), result.toString());
        assertEquals("CREDITED " + user, fixtures.payment(late.transactionId()));
        assertEquals(amount, fixtures.balance(user));
        assertEquals("EXPIRED", fixtures.orderStatus(order.id()));
        assertEquals("EXPIRED", fixtures.requestStatus(order.requestId()));
    }

    @Test
    void anExactPaymentPaysTheOpenOrderWhichIsThenDelivered() throws Throwable {
        long user = user();
        long suffix = 456_000L;
        long amount = PaymentFixtures.PRICE_3_MONTHS + uniqueAmount() / 1_000_000 * 1_000_000 + suffix;
        PendingOrder order = fixtures.pendingOrder(user, amount);
        Transfer exact = usdt(amount);
        tronGrid.add(exact);

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.CREDITED), result.toString());
        assertEquals("PAID", fixtures.requestStatus(order.requestId()));
        assertEquals(
                amount - PaymentFixtures.PRICE_3_MONTHS,
                fixtures.balance(user),
                "the rest of the unique amount stays in the wallet");
        assertEquals(
                List.of(
                        "DEPOSIT " + amount + " trc20:" + PolledTransfers.eventId(exact),
                        "ORDER_PAYMENT " + -PaymentFixtures.PRICE_3_MONTHS + " order-payment:" + order.id()),
                fixtures.ledger(user));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.orderStatus(order.id())));
        List<FakeBotApi.Call> gifts = telegram.calls("giftPremiumSubscription");
        assertEquals(1, gifts.size(), gifts.toString());
        assertEquals(user, gifts.get(0).longParam("user_id"));
        assertEquals(3, gifts.get(0).longParam("month_count"));
        await().atMost(WAIT)
                .untilAsserted(() -> assertTrue(
                        telegram.calls("sendMessage").stream()
                                .anyMatch(call -> call.longParam("chat_id") == user
                                        && call.params().get("text").startsWith("Order " + order.id() + " is paid")),
                        "the buyer is told the on-chain payment arrived"));
    }

    @Test
    void aPaymentAfterTheRequestRanOutButBeforeExpiryRanLandsInTheWalletOnly() throws Throwable {
        long user = user();
        long amount = PaymentFixtures.PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        fixtures.update(
                "update payment_requests set created_at = now() - interval '40 minutes', expires_at = now() - interval '10 minutes' where id = ?",
                order.requestId());
        Transfer late = usdt(amount);
        tronGrid.add(late);

        poll();

        assertEquals("CREDITED " + user, fixtures.payment(late.transactionId()));
        assertEquals(amount, fixtures.balance(user), "nothing debited: the request's time was up");
        assertEquals(
                "PENDING_PAYMENT",
                fixtures.orderStatus(order.id()),
                "the expiry job, not the payment, decides this order");
        assertEquals("OPEN", fixtures.requestStatus(order.requestId()));
    }

    @Test
    void aShortPaymentIsListedForTheOperatorAndTheOrderWaits() throws Throwable {
        long user = user();
        long amount = PaymentFixtures.PRICE_3_MONTHS + uniqueAmount();
        PendingOrder order = fixtures.pendingOrder(user, amount);
        Transfer shortOne = Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, amount - 1, afterNow());
        tronGrid.add(shortOne);

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.UNMATCHED), "no request holds that amount: " + result);
        assertEquals("UNMATCHED null", fixtures.payment(shortOne.transactionId()));
        assertEquals(0, fixtures.balance(user));
        assertEquals("PENDING_PAYMENT", fixtures.orderStatus(order.id()));
        assertEquals("OPEN", fixtures.requestStatus(order.requestId()));
    }

    @Test
    void anUnconfirmedTransferWaitsUntilConfirmed() throws Throwable {
        long user = user();
        long amount = uniqueAmount();
        fixtures.request(user, null, amount, Duration.ofMinutes(30));
        Transfer pending = usdt(amount).unconfirmed();
        tronGrid.add(pending);

        poll();
        assertEquals(0, fixtures.balance(user));
        tronGrid.confirm(pending.transactionId());
        poll();

        assertEquals(amount, fixtures.balance(user));
    }

    @Test
    void asksTronGridForConfirmedIncomingUsdtOldestFirstWithTheApiKey() throws Throwable {
        poll();

        FakeTronGrid.Request request = tronGrid.requests().get(0);
        assertEquals(RECEIVE_ADDRESS, request.address());
        assertEquals(FakeTronGridResource.API_KEY, request.apiKey());
        Map<String, String> params = request.params();
        assertEquals("true", params.get("only_confirmed"));
        assertEquals("true", params.get("only_to"));
        assertEquals("block_timestamp,asc", params.get("order_by"));
        assertEquals(FakeTronGrid.USDT_CONTRACT, params.get("contract_address"));
        assertTrue(Long.parseLong(params.get("min_timestamp")) > 0, params.toString());
    }

    @Test
    void tronGridServerErrorLeavesTheCursorWhereItWas() throws Throwable {
        long user = user();
        tronGrid.add(usdt(uniqueAmount()));
        poll();
        List<String> cursorBefore = fixtures.cursor(RECEIVE_ADDRESS);
        long amount = uniqueAmount();
        fixtures.request(user, null, amount, Duration.ofMinutes(30));
        Transfer next = Transfer.usdt(
                payerAddress(), RECEIVE_ADDRESS, amount, Instant.now().plusSeconds(5));
        tronGrid.add(next).failNext(503, "service unavailable");

        assertThrows(TronGridException.Unavailable.class, this::poll);

        assertEquals(cursorBefore, fixtures.cursor(RECEIVE_ADDRESS));
        assertEquals(0, fixtures.payments(next.transactionId()));
        tronGrid.rateLimitNext();
        assertThrows(TronGridException.RateLimited.class, this::poll);
        assertEquals(cursorBefore, fixtures.cursor(RECEIVE_ADDRESS));

        poll();

        assertEquals(amount, fixtures.balance(user));
        assertEquals(
                List.of(Long.toString(next.blockTimestamp())),
                fixtures.cursor(RECEIVE_ADDRESS),
                "the cursor moved to the new transfer once it was processed");
    }

    @Test
    void pagingAcrossSeveralPagesProcessesEveryTransferOnce() throws Throwable {
        long user = user();
        long total = 0;
        Instant start = Instant.now().minusSeconds(60);
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long amount = uniqueAmount();
            total += amount;
            fixtures.request(user, null, amount, Duration.ofMinutes(30));
            transfers.add(Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, amount, start.plusSeconds(i + 1)));
        }
        fixtures.update(
                "update payment_requests set created_at = ? where user_id = ?", java.sql.Timestamp.from(start), user);
        transfers.forEach(tronGrid::add);

        Trc20Poller.PollResult first = poll();
        Trc20Poller.PollResult second = poll();

        assertEquals(3, first.pages(), "8 transfers, 3 per page");
        assertEquals(8, first.count(Kind.CREDITED), first.toString());
        assertTrue(
                tronGrid.requests().stream().anyMatch(r -> r.params().containsKey("fingerprint")),
                "pages followed by fingerprint");
        assertEquals(0, second.count(Kind.CREDITED), second.toString());
        assertEquals(8, second.count(Kind.DUPLICATE), second.toString());
        assertEquals(total, fixtures.balance(user));
        for (Transfer transfer : transfers) {
            assertEquals(1, fixtures.payments(transfer.transactionId()), transfer.transactionId());
        }
    }

    @Test
    void twoReplicasPollingAtOnceCreditEachTransferOnce() throws Throwable {
        long user = user();
        long total = 0;
        for (int i = 0; i < 6; i++) {
            long amount = uniqueAmount();
            total += amount;
            fixtures.request(user, null, amount, Duration.ofMinutes(30));
            tronGrid.add(usdt(amount));
        }
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            Callable<Trc20Poller.PollResult> replica = () -> {
                try {
                    return poll();
                } catch (Throwable failure) {
                    throw new IllegalStateException("a replica's poll failed", failure);
                }
            };
            List<Future<Trc20Poller.PollResult>> results = replicas.invokeAll(List.of(replica, replica));

            int credited = 0;
            for (Future<Trc20Poller.PollResult> result : results) {
                credited += result.get().count(Kind.CREDITED);
            }
            assertEquals(6, credited, "each transfer credited by exactly one replica");
        } finally {
            replicas.shutdownNow();
        }
        assertEquals(total, fixtures.balance(user));
        assertEquals(6, fixtures.ledger(user).size());
    }
}
