package io.premiumbot.worker.payments;

import static io.premiumbot.worker.support.FakeTronGridResource.RECEIVE_ADDRESS;
import static io.premiumbot.worker.support.PaymentFixtures.payerAddress;
import static io.premiumbot.worker.support.PaymentFixtures.uniqueAmount;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.money.Money;
import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.FakeTronGrid;
import io.premiumbot.testkit.FakeTronGrid.Transfer;
import io.premiumbot.worker.payments.TransferOutcome.Kind;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.FakeBotApiResource.InjectFakeBotApi;
import io.premiumbot.worker.support.FakeTronGridResource;
import io.premiumbot.worker.support.FakeTronGridResource.InjectFakeTronGrid;
import io.premiumbot.worker.support.PaymentFixtures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * Payout services and exchanges send several USDT transfers in one TRON transaction (a multi-send contract: one
 * hash, one {@code Transfer} event per recipient). A deposit is the event, not the transaction: each is credited once
 * or listed for the operator, whatever order TronGrid lists them in and however pages cut them. The fake TronGrid
 * lists them as the real one does, one row per event with no event index; its page size is 3 in tests.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = FakeTronGridResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BatchPayoutsTest {

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
    Ledger ledger;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void freshFakes() {
        tronGrid.reset();
        telegram.reset();
    }

    @AfterEach
    void everyBalanceIsItsLedger() {
        fixtures.assertEveryTrackedBalanceIsItsLedger();
    }

    private Trc20Poller.PollResult poll() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> poller.poll());
    }

    /** A customer with an open top-up request for {@code amount}. */
    private long customerAwaiting(long amount) {
        long user = fixtures.trackedUser();
        fixtures.request(user, null, amount, Duration.ofMinutes(30));
        return user;
    }

    private static Transfer usdt(String from, long micros) {
        return Transfer.usdt(from, RECEIVE_ADDRESS, micros, Instant.now().plusMillis(2));
    }

    private static String key(String hash, String from, long micros, int occurrence) {
        return "trc20:" + hash + ":" + from + ":" + micros + ":" + occurrence;
    }

    @Test
    void twoTransfersInOneTransactionCreditTwoCustomers() throws Throwable {
        long first = uniqueAmount();
        long second = uniqueAmount();
        long alice = customerAwaiting(first);
        long bob = customerAwaiting(second);
        String exchange = payerAddress();
        Transfer batch = usdt(exchange, first);
        tronGrid.addTransaction(batch, usdt(exchange, second));

        Trc20Poller.PollResult result = poll();

        assertEquals(2, result.count(Kind.CREDITED), result.toString());
        assertEquals(0, result.count(Kind.DUPLICATE), "the second event is no duplicate: " + result);
        String hash = batch.transactionId();
        assertEquals(List.of("DEPOSIT " + first + " " + key(hash, exchange, first, 1)), fixtures.ledger(alice));
        assertEquals(List.of("DEPOSIT " + second + " " + key(hash, exchange, second, 1)), fixtures.ledger(bob));
        assertEquals(2, fixtures.payments(hash));
        await().atMost(WAIT)
                .untilAsserted(() -> assertTrue(
                        telegram.calls("sendMessage").stream().anyMatch(call -> call.longParam("chat_id") == bob),
                        "the second customer is told too, not only the first"));
        assertTrue(telegram.calls("sendMessage").stream().anyMatch(call -> call.longParam("chat_id") == alice));
    }

    @Test
    void aRepolledBatchCreditsNobodyTwice() throws Throwable {
        long loneAmount = uniqueAmount();
        long first = uniqueAmount();
        long second = uniqueAmount();
        long early = customerAwaiting(loneAmount);
        fixtures.request(early, null, loneAmount + 1, Duration.ofMinutes(30));
        long alice = customerAwaiting(first);
        long bob = customerAwaiting(second);
        Instant before = Instant.now().plusMillis(2);
        tronGrid.add(Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, loneAmount, before))
                .add(Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, loneAmount + 1, before));
        String exchange = payerAddress();
        Transfer batch = Transfer.usdt(exchange, RECEIVE_ADDRESS, first, before.plusMillis(5));
        // three to a page: the batch's first event ends page one, its second starts page two
        tronGrid.addTransaction(batch, usdt(exchange, second));

        Trc20Poller.PollResult firstPoll = poll();
        tronGrid.reverseEventsWithinTransactions();
        Trc20Poller.PollResult again = poll();

        assertEquals(2, firstPoll.pages(), firstPoll.toString());
        assertEquals(4, firstPoll.count(Kind.CREDITED), firstPoll.toString());
        assertEquals(0, again.count(Kind.CREDITED), "listed the other way round, nothing is new: " + again);
        assertEquals(4, again.count(Kind.DUPLICATE), again.toString());
        assertEquals(first, fixtures.balance(alice));
        assertEquals(second, fixtures.balance(bob));
        assertEquals(2 * loneAmount + 1, fixtures.balance(early));
        assertEquals(2, fixtures.payments(batch.transactionId()));
    }

    @Test
    void aBatchEventThatMatchesNoRequestIsListedForTheOperator() throws Throwable {
        long paid = uniqueAmount();
        long stray = uniqueAmount();
        long alice = customerAwaiting(paid);
        String exchange = payerAddress();
        Transfer batch = usdt(exchange, paid);
        tronGrid.addTransaction(batch, usdt(exchange, stray));
        double unmatchedBefore = unmatchedCounted();

        Trc20Poller.PollResult result = poll();

        assertEquals(1, result.count(Kind.CREDITED), result.toString());
        assertEquals(1, result.count(Kind.UNMATCHED), "the stray event is not dropped: " + result);
        String hash = batch.transactionId();
        assertEquals(
                List.of(
                        key(hash, exchange, paid, 1).substring("trc20:".length()) + " CREDITED " + alice,
                        key(hash, exchange, stray, 1).substring("trc20:".length()) + " UNMATCHED null"),
                fixtures.paymentEvents(hash),
                "the operator's unmatched list (GET /admin/payments/unmatched) reads the UNMATCHED row");
        assertEquals(1, unmatchedCounted() - unmatchedBefore, 0.0, "premium_trc20_transfers{outcome=unmatched}");
        assertEquals(paid, fixtures.balance(alice), "nobody is credited the stray event by guessing");
    }

    @Test
    void theSameAmountSentTwiceInOneTransactionIsTwoDeposits() throws Throwable {
        long amount = uniqueAmount();
        long user = customerAwaiting(amount);
        Instant before = Instant.now().plusMillis(2);
        tronGrid.add(Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, uniqueAmount(), before))
                .add(Transfer.usdt(payerAddress(), RECEIVE_ADDRESS, uniqueAmount(), before));
        String exchange = payerAddress();
        Transfer batch = Transfer.usdt(exchange, RECEIVE_ADDRESS, amount, before.plusMillis(5));
        // identical events, one at the end of page one and one on page two
        tronGrid.addTransaction(batch, usdt(exchange, amount));

        poll();
        Trc20Poller.PollResult again = poll();

        String hash = batch.transactionId();
        assertEquals(
                List.of(
                        "DEPOSIT " + amount + " " + key(hash, exchange, amount, 1),
                        "DEPOSIT " + amount + " " + key(hash, exchange, amount, 2)),
                fixtures.ledger(user),
                "the second is money too: it stays in the wallet");
        assertEquals(0, again.count(Kind.CREDITED), again.toString());
        assertEquals(2 * amount, fixtures.balance(user));
    }

    @Test
    void aTransferBookedByItsHashBeforeTheUpgradeIsNotCreditedAgain() throws Throwable {
        long amount = uniqueAmount();
        long user = customerAwaiting(amount);
        String payer = payerAddress();
        Transfer transfer = usdt(payer, amount);
        String hash = transfer.transactionId();
        // what the poller wrote before deposits were events: the payment and the credit keyed by the bare hash
        fixtures.update("""
                insert into payments (provider, external_id, currency, amount_micros, from_address, user_id, status, occurred_at)
                values ('TRC20', ?, 'USDT', ?, ?, ?, 'CREDITED', now())""", hash, amount, payer, user);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> ledger.credit(user, Money.ofMicros(amount), LedgerReason.DEPOSIT, hash, "trc20:" + hash)));
        tronGrid.add(transfer);

        Trc20Poller.PollResult result = poll();

        assertEquals(0, result.count(Kind.CREDITED), result.toString());
        assertEquals(1, result.count(Kind.DUPLICATE), result.toString());
        assertEquals(List.of("DEPOSIT " + amount + " trc20:" + hash), fixtures.ledger(user));
        assertEquals(
                List.of(key(hash, payer, amount, 1).substring("trc20:".length()) + " CREDITED " + user),
                fixtures.paymentEvents(hash),
                "the database gives a row keyed by its hash the event's id");
    }

    private double unmatchedCounted() {
        return registry.find("premium_trc20_transfers")
                .tag("outcome", "unmatched")
                .counter()
                .count();
    }
}
