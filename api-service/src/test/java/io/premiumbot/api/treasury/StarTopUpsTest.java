package io.premiumbot.api.treasury;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.api.support.StockedTreasury;
import io.premiumbot.testkit.FakeBotApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * An operator refills the bot's Stars with an invoice sent to their own Telegram account (issue 23): paid by them it
 * is a top-up — never an order, never a wallet credit — and nobody else's payment, nor a replay, makes a second one.
 */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class StarTopUpsTest {

    /** Alice's own Telegram account, as the test OPERATORS entry names it. */
    private static final long ALICE = 9_500_000_001L;

    @Inject
    Pool pool;

    /** A paid top-up reads the fake's balance into the treasury: keep it at the stock the other tests sell from. */
    @BeforeEach
    void telegramHoldsTheStockedStars() {
        FakeTelegram.api().starBalance(StockedTreasury.PLENTY);
    }

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private Row row(String sql, Object... args) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private long count(String sql, Object... args) {
        return row(sql, args).getLong(0);
    }

    /** Alice asks for a top-up of {@code stars}; its id. */
    private long topUp(long stars) {
        return ((Number) operatorNamed(ALICE_TOKEN)
                        .contentType(ContentType.JSON)
                        .body("{\"stars\":" + stars + "}")
                        .post("/admin/treasury/top-ups")
                        .then()
                        .statusCode(201)
                        .body("status", is("INVOICED"))
                        .extract()
                        .path("id"))
                .longValue();
    }

    private static FakeBotApi.Call lastInvoice() {
        var invoices = FakeTelegram.api().calls("sendInvoice");
        return invoices.get(invoices.size() - 1);
    }

    @Test
    void aTopUpInvoiceInStarsGoesToTheOperatorsOwnTelegramAccount() {
        long id = topUp(5_000);

        FakeBotApi.Call invoice = lastInvoice();
        assertEquals(ALICE, invoice.longParam("chat_id"));
        assertEquals("XTR", invoice.params().get("currency"));
        assertEquals("topup:" + id, invoice.params().get("payload"));
        assertEquals(
                5_000,
                new JsonArray(invoice.params().get("prices")).getJsonObject(0).getInteger("amount"));
        assertEquals(
                1L,
                count(
                        "select count(*) from audit_log where action = 'stars.top_up_invoiced' and actor = 'alice'"
                                + " and target = $1",
                        "top-up:" + id));
    }

    @Test
    void aTopUpPaidByTheOperatorIsRecordedAsATopUpWithNoOrderAndNoWalletCredit() {
        long id = topUp(2_500);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), ALICE, 2_500, "topup:" + id))
                .statusCode(200)
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(true));

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), ALICE, 2_500, "topup:" + id, "top-up-charge-" + id))
                .statusCode(200)
                .body("text", containsString("2500 Stars were added"));

        Row topUp = row("select status, charge_id from star_top_ups where id = $1", id);
        assertEquals("PAID", topUp.getString("status"));
        assertEquals("top-up-charge-" + id, topUp.getString("charge_id"));
        assertEquals(0L, count("select count(*) from orders where buyer_id = $1", ALICE), "never an order");
        assertEquals(0L, count("select count(*) from ledger_entries where user_id = $1", ALICE), "no wallet credit");
        assertEquals(
                0L,
                count("select count(*) from payments where external_id = $1", "top-up-charge-" + id),
                "not a customer's payment");
    }

    @Test
    void aPaidTopUpIsReadIntoTheTreasuryAtOnceSoItsStarsCanBeSold() {
        long id = topUp(2_500);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), ALICE, 2_500, "topup:" + id))
                .statusCode(200);
        // Telegram credits the Stars before it reports the payment
        FakeTelegram.api().starBalance(StockedTreasury.PLENTY + 2_500);

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), ALICE, 2_500, "topup:" + id, "top-up-read-" + id))
                .statusCode(200);

        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> count("select balance from star_treasury where id = 1") == StockedTreasury.PLENTY + 2_500);
        FakeTelegram.api().starBalance(StockedTreasury.PLENTY);
        StockedTreasury.plenty(pool);
    }

    @Test
    void aTopUpInvoiceIsRefusedAtCheckoutToAnyoneButTheOperator() {
        long id = topUp(1_000);

        sendUpdate(preCheckoutUpdate(nextUpdateId(), newUserId(), 1_000, "topup:" + id))
                .statusCode(200)
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(false));
        sendUpdate(preCheckoutUpdate(nextUpdateId(), ALICE, 999, "topup:" + id))
                .statusCode(200)
                .body("ok", is(false));
    }

    @Test
    void starsSomeoneElsePaidForATopUpAreRefundedToThemAndTopUpNothing() {
        long id = topUp(1_000);
        long stranger = newUserId();

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), stranger, 1_000, "topup:" + id, "stray-top-up-" + id))
                .statusCode(200)
                .body("text", containsString("being refunded"));

        assertEquals(
                "INVOICED",
                row("select status from star_top_ups where id = $1", id).getString(0));
        Row refund = row("select user_id, stars from star_refunds where charge_id = $1", "stray-top-up-" + id);
        assertEquals(stranger, refund.getLong("user_id"));
        assertEquals(1_000, refund.getInteger("stars"));
    }

    @Test
    void aReplayedTopUpPaymentCreatesNothingTwice() {
        long id = topUp(1_500);
        String charge = "replayed-top-up-" + id;
        String update = successfulPaymentUpdate(nextUpdateId(), ALICE, 1_500, "topup:" + id, charge);

        sendUpdate(update).statusCode(200).body("text", containsString("1500 Stars were added"));
        sendUpdate(update).statusCode(200);
        // the same charge in an update Telegram numbered anew
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), ALICE, 1_500, "topup:" + id, charge))
                .statusCode(200);

        assertEquals(1L, count("select count(*) from star_top_ups where charge_id = $1", charge));
        assertEquals(0L, count("select count(*) from star_refunds where charge_id = $1", charge), "nothing to refund");
        assertEquals(0L, count("select count(*) from payments where external_id = $1", charge));
    }

    @Test
    void aTopUpOutsideTheConfiguredBoundsIsRefused() {
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"stars\":0}")
                .post("/admin/treasury/top-ups")
                .then()
                .statusCode(400)
                .body("detail", containsString("between 1 and 10000"));
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"stars\":10001}")
                .post("/admin/treasury/top-ups")
                .then()
                .statusCode(400);
    }

    @Test
    void anOperatorWithoutATelegramAccountCannotAskForATopUp() {
        operator()
                .contentType(ContentType.JSON)
                .body("{\"stars\":1000}")
                .post("/admin/treasury/top-ups")
                .then()
                .statusCode(422)
                .body("detail", containsString("no Telegram account"));
    }

    @Test
    void aViewerCannotAskForATopUp() {
        operatorNamed(VERA_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"stars\":1000}")
                .post("/admin/treasury/top-ups")
                .then()
                .statusCode(403);
    }
}
