package io.premiumbot.worker.treasury;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import jakarta.inject.Inject;

/**
 * The Star treasury (issue 23): every transaction getStarTransactions lists is imported once and classified, matched
 * only to the exact record of ours that explains it; what nothing of ours explains is counted for the alert until an
 * operator acknowledges it. Real PostgreSQL and Redis, the fake Bot API.
 */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StarTreasuryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long DEPOSIT = 40_000_000L;

    @InjectFakeBotApi
    FakeBotApi telegram;

    @Inject
    Fixtures fixtures;

    @Inject
    ImportStarTransactions importer;

    @BeforeEach
    void freshTelegram() {
        telegram.reset();
        fixtures.forgetStarTransactions();
    }

    private int importNow() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> importer.run());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class the import gave the transaction listed with this id going in ("IN") or out ("OUT"). */
    private String classOf(String transactionId, String direction) {
        return fixtures.text(
                "select class from star_transactions where transaction_id = ? and direction = ?",
                transactionId,
                direction);
    }

    private long imported() {
        return Long.parseLong(fixtures.text("select count(*)::text from star_transactions"));
    }

    /** A Stars payment the api-service recorded for an order of {@code buyer}: the payments row and the order's charge. */
    private String starsOrder(long buyer, String chargeId, long stars) {
        String orderId = fixtures.paidOrder(buyer, buyer);
        fixtures.update("update orders set pay_method = 'STARS', star_charge_id = ? where id = ?", chargeId, orderId);
        fixtures.update("""
                insert into payments (provider, external_id, currency, amount_micros, user_id, status, occurred_at)
                values ('STARS', ?, 'XTR', ?, ?, 'CREDITED', now())""", chargeId, stars * 1_000_000L, buyer);
        return orderId;
    }

    private static double gauge(String series) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher value =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }

    @Test
    void everyKindTelegramListsIsImportedWithItsClass() {
        long someone = fixtures.anotherTelegramUser();
        telegram.addStarPayment(someone, "never-recorded", 250, "order:NOSUCH01")
                .addChargeback(someone, "bought-elsewhere", 500)
                .addWithdrawal(1_000)
                .addPaidBroadcast(30, 300)
                .addAdsPayment(70)
                .addBusinessTransfer(someone, 2_000)
                .addUnknownStarTransaction("stars_galaxy", 5, false);

        importNow();

        assertEquals(7, imported());
        assertEquals("UNMATCHED_PAYMENT", classOf("never-recorded", "IN"), "a payment none of our records names");
        assertEquals("CHARGEBACK", classOf("bought-elsewhere", "OUT"), "Stars taken back that we never refunded");
        assertEquals("WITHDRAWAL", fixtures.text("select class from star_transactions where partner = 'fragment'"));
        assertEquals(
                "PAID_BROADCAST", fixtures.text("select class from star_transactions where partner = 'telegram_api'"));
        assertEquals("ADS", fixtures.text("select class from star_transactions where partner = 'telegram_ads'"));
        assertEquals(
                "BUSINESS_TRANSFER",
                fixtures.text(
                        "select class from star_transactions where transaction_type = 'business_account_transfer'"));
        assertEquals("UNKNOWN", fixtures.text("select class from star_transactions where partner = 'stars_galaxy'"));
    }

    @Test
    void aStarsPaymentIsExplainedByTheOrderItPaid() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = starsOrder(buyer, "charge-paid-order", 1_000);
        telegram.addStarPayment(buyer, "charge-paid-order", 1_000, "order:" + orderId);

        importNow();

        assertEquals("CUSTOMER_PAYMENT", classOf("charge-paid-order", "IN"));
        assertEquals(
                orderId,
                fixtures.text("select order_id from star_transactions where transaction_id = ?", "charge-paid-order"));
    }

    @Test
    void aPaymentWithTheRightChargeButAnotherAmountIsNotExplained() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String orderId = starsOrder(buyer, "charge-other-amount", 1_000);
        telegram.addStarPayment(buyer, "charge-other-amount", 999, "order:" + orderId);

        importNow();

        assertEquals("UNMATCHED_PAYMENT", classOf("charge-other-amount", "IN"), "a match is exact or none");
    }

    @Test
    void aPaymentRecordedAfterTelegramListedItIsExplainedOnTheNextRun() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        telegram.addStarPayment(buyer, "charge-webhook-late", 1_000, "order:LATE0001");
        importNow();
        assertEquals("UNMATCHED_PAYMENT", classOf("charge-webhook-late", "IN"));

        starsOrder(buyer, "charge-webhook-late", 1_000);
        importNow();

        assertEquals("CUSTOMER_PAYMENT", classOf("charge-webhook-late", "IN"));
    }

    @Test
    void aGiftIsExplainedByTheAttemptThatDeliveredIt() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        long recipient = fixtures.anotherTelegramUser();
        String orderId = fixtures.paidOrder(buyer, recipient);
        fixtures.enqueue(Fixtures.job(orderId, 1));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("DELIVERED", fixtures.status(orderId)));

        await().atMost(WAIT).untilAsserted(() -> {
            importNow();
            assertEquals(
                    "GIFT", fixtures.text("select class from star_transactions where partner_user_id = ?", recipient));
        });
        assertEquals(
                orderId, fixtures.text("select order_id from star_transactions where partner_user_id = ?", recipient));
    }

    @Test
    void aGiftNoAttemptOfOursMadeIsAnUnexplainedDeduction() {
        long stranger = fixtures.anotherTelegramUser();
        telegram.addGiftTransaction(stranger, 12);

        importNow();

        assertEquals(
                "UNMATCHED_GIFT",
                fixtures.text("select class from star_transactions where partner_user_id = ?", stranger));
    }

    @Test
    void ourStarsRefundIsExplainedAndAChargebackOfThatPaymentIsNot() {
        long buyer = fixtures.userWithDeposit(DEPOSIT);
        String refunded = starsOrder(buyer, "charge-we-refund", 1_000);
        fixtures.update("""
                insert into star_refunds (charge_id, user_id, order_id, stars, reason, status, refunded_at)
                values ('charge-we-refund', ?, ?, 1000, 'UNDELIVERABLE', 'REFUNDED', now())""", buyer, refunded);
        starsOrder(buyer, "charge-charged-back", 1_000);
        telegram.addStarPayment(buyer, "charge-we-refund", 1_000, "order:" + refunded)
                .addStarPayment(buyer, "charge-charged-back", 1_000, "order:X")
                .addChargeback(buyer, "charge-we-refund", 1_000)
                .addChargeback(buyer, "charge-charged-back", 1_000);

        importNow();

        assertEquals("REFUND", classOf("charge-we-refund", "OUT"));
        assertEquals("CHARGEBACK", classOf("charge-charged-back", "OUT"));
        assertEquals("CUSTOMER_PAYMENT", classOf("charge-charged-back", "IN"), "the payment itself was ours");
    }

    @Test
    void aPaidTopUpIsExplainedAsATopUpAndNeverAsAnOrder() {
        long operator = fixtures.anotherTelegramUser();
        fixtures.update("""
                insert into star_top_ups (operator, telegram_id, stars, status, charge_id, expires_at, paid_at)
                values ('alice', ?, 5000, 'PAID', 'charge-top-up', now() + interval '1 day', now())""", operator);
        telegram.addStarPayment(operator, "charge-top-up", 5_000, "topup:1");

        importNow();

        assertEquals("TOP_UP", classOf("charge-top-up", "IN"));
        assertNull(fixtures.text("select order_id from star_transactions where transaction_id = 'charge-top-up'"));
    }

    @Test
    void anUnexplainedDeductionRaisesTheGaugeUntilAnOperatorAcknowledgesIt() {
        String series = "premium_stars_unexplained_transactions{class=\"chargeback\",direction=\"out\"}";
        long buyer = fixtures.anotherTelegramUser();
        telegram.addChargeback(buyer, "charged-back-for-the-gauge", 1_500);

        importNow();
        assertEquals(1.0, gauge(series));
        assertEquals(1_500.0, gauge("premium_stars_unexplained_stars{direction=\"out\"}"));

        fixtures.update("""
                update star_transactions set acknowledged_by = 'alice', acknowledged_at = now(), acknowledgement = 'store refund'
                where transaction_id = 'charged-back-for-the-gauge'""");
        importNow();
        assertEquals(0.0, gauge(series));
    }

    @Test
    void overlappingImportsImportEachTransactionOnce() {
        long payer = fixtures.anotherTelegramUser();
        for (int i = 0; i < 250; i++) {
            telegram.addStarPayment(payer, "overlap-" + i, 1 + i, "order:OVERLAP");
        }
        telegram.latency(Duration.ofMillis(50));

        List<CompletableFuture<Integer>> runs = List.of(
                CompletableFuture.supplyAsync(this::importNow),
                CompletableFuture.supplyAsync(this::importNow),
                CompletableFuture.supplyAsync(this::importNow));
        runs.forEach(CompletableFuture::join);
        await().atMost(WAIT).untilAsserted(() -> {
            importNow();
            assertEquals(250, imported());
        });

        assertEquals(
                "250",
                fixtures.text("select count(distinct transaction_id)::text from star_transactions"),
                "each transaction once");
        assertEquals(
                "250",
                fixtures.text("select imported_offset::text from star_transactions_cursor"),
                "the cursor past them all");
    }

    @Test
    void aCursorMovedByAReaderThatKeptNothingIsWoundBackAndThePagesImported() {
        long payer = fixtures.anotherTelegramUser();
        for (int i = 0; i < 120; i++) {
            telegram.addStarPayment(payer, "old-reader-" + i, 10, "order:OLDREAD");
        }
        // a worker older than the import read them: the cursor moved, nothing was kept
        fixtures.update("update star_transactions_cursor set next_offset = 120");

        importNow();

        assertEquals(120, imported());
    }
}
