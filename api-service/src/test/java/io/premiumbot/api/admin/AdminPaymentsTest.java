package io.premiumbot.api.admin;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Unmatched incoming transfers (recorded by the worker's TRC20 poller) as the operator sees and assigns them. */
@QuarkusTest
class AdminPaymentsTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private static final String PAYER = "TUnknownPayer1111111111111111111";

    /** The id the worker's poller records a lone transfer event under: {@code <hash>:<from>:<micros>:1}. */
    private static String eventId(String txHash, long micros) {
        return txHash + ":" + PAYER + ":" + micros + ":1";
    }

    /** An UNMATCHED TRC20 transfer as the worker's poller records it; its id. */
    private long unmatchedTransfer(String txHash, long micros) {
        return pool.preparedQuery("""
                        insert into payments (provider, external_id, currency, amount_micros, from_address, status, occurred_at)
                        values ('TRC20', $1, 'USDT', $2, $3, 'UNMATCHED', $4) returning id""")
                .execute(Tuple.of(eventId(txHash, micros), micros, PAYER, OffsetDateTime.now()))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong("id");
    }

    private static String txHash() {
        return UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
    }

    private static String assignBody(long telegramId) {
        return "{\"telegramId\":" + telegramId + "}";
    }

    @Test
    void anUnmatchedTransferIsListedAndAssignableOnce() {
        long userId = newUserId();
        send(userId, "/start");
        String hash = txHash();
        long paymentId = unmatchedTransfer(hash, 25_123_456L);
        String event = eventId(hash, 25_123_456L);

        operator()
                .get("/admin/payments/unmatched")
                .then()
                .statusCode(200)
                .body("items.externalId", hasItem(event))
                .body("items.find { it.externalId == '" + event + "' }.amount", is("25.123456"))
                .body("items.find { it.externalId == '" + event + "' }.status", is("UNMATCHED"));

        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body(assignBody(userId))
                .when()
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(200)
                .body("status", is("CREDITED"))
                .body("userId", is(userId))
                .body("amount", is("25.123456"));
        operator()
                .contentType(ContentType.JSON)
                .body(assignBody(userId))
                .when()
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");

        operator().get("/admin/users/" + userId).then().body("balance", is("25.123456"));
        operator()
                .get("/admin/users/" + userId + "/ledger")
                .then()
                .body("items", hasSize(1))
                .body("items[0].reason", is("DEPOSIT"))
                .body("items[0].reference", is(hash));
        operator().get("/admin/payments/unmatched").then().body("items.externalId", not(hasItem(event)));
        long audits = pool.preparedQuery(
                        "select count(*) as n from audit_log where action = 'payment.assign' and target = $1 and actor = 'alice'")
                .execute(Tuple.of("payment:" + paymentId))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong("n");
        assertEquals(1, audits);
    }

    @Test
    void eachEventOfABatchPayoutIsAssignedWithItsOwnCredit() {
        long first = newUserId();
        long second = newUserId();
        send(first, "/start");
        send(second, "/start");
        String hash = txHash();
        // one multi-send transaction, two Transfer events that matched nobody
        long one = unmatchedTransfer(hash, 4_000_000L);
        long other = unmatchedTransfer(hash, 6_500_000L);

        assign(one, first).statusCode(200).body("status", is("CREDITED"));
        assign(other, second).statusCode(200).body("status", is("CREDITED"));

        operator().get("/admin/users/" + first).then().body("balance", is("4.000000"));
        operator().get("/admin/users/" + second).then().body("balance", is("6.500000"));
        operator()
                .get("/admin/users/" + second + "/ledger")
                .then()
                .body("items", hasSize(1))
                .body("items[0].reference", is(hash));
    }

    private io.restassured.response.ValidatableResponse assign(long paymentId, long telegramId) {
        return operator()
                .contentType(ContentType.JSON)
                .body(assignBody(telegramId))
                .when()
                .post("/admin/payments/" + paymentId + "/assign")
                .then();
    }

    @Test
    void assigningToAnotherUserAfterwardsIsRefusedAndCreditsNobody() {
        long first = newUserId();
        long second = newUserId();
        send(first, "/start");
        send(second, "/start");
        long paymentId = unmatchedTransfer(txHash(), 7_000_000L);
        operator()
                .contentType(ContentType.JSON)
                .body(assignBody(first))
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(200);

        operator()
                .contentType(ContentType.JSON)
                .body(assignBody(second))
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(409);

        operator().get("/admin/users/" + second).then().body("balance", is("0.000000"));
        operator().get("/admin/users/" + first).then().body("balance", is("7.000000"));
    }

    @Test
    void anUnknownPaymentOrUserIs404AndChangesNothing() {
        long userId = newUserId();
        send(userId, "/start");
        long paymentId = unmatchedTransfer(txHash(), 3_000_000L);

        operator()
                .contentType(ContentType.JSON)
                .body(assignBody(userId))
                .post("/admin/payments/999999999/assign")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        operator()
                .contentType(ContentType.JSON)
                .body(assignBody(newUserId()))
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        operator().get("/admin/payments/unmatched").then().body("items.id", hasItem((int) paymentId));
    }

    @Test
    void anAssignmentNeedsATelegramIdAndTheOperatorToken() {
        long paymentId = unmatchedTransfer(txHash(), 1_000_000L);
        operator()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        io.restassured.RestAssured.given()
                .contentType(ContentType.JSON)
                .body(assignBody(newUserId()))
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(401);
        operator().get("/admin/payments/unmatched").then().body("items.id", hasItem((int) paymentId));
    }

    private java.util.List<String> noticesTo(long chatId, String kind) {
        var rows = pool.preparedQuery(
                        "select text from customer_notifications where chat_id = $1 and kind = $2 order by id")
                .execute(Tuple.of(chatId, kind))
                .await()
                .atMost(Duration.ofSeconds(5));
        var texts = new java.util.ArrayList<String>();
        rows.forEach(row -> texts.add(row.getString("text")));
        return texts;
    }

    @Test
    void anAssignedPaymentIsToldToItsCustomerOnceInTheirLanguage() {
        long userId = newUserId();
        sendUpdate(textUpdate(nextUpdateId(), userId, "u" + userId, "zh", "/start"));
        long paymentId = unmatchedTransfer(txHash(), 7_250_000L);

        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body(assignBody(userId))
                .when()
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(200);
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body(assignBody(userId))
                .when()
                .post("/admin/payments/" + paymentId + "/assign")
                .then()
                .statusCode(409);

        var notices = noticesTo(userId, "credit_assigned");
        assertEquals(1, notices.size(), "told once: " + notices);
        org.hamcrest.MatcherAssert.assertThat(
                notices.get(0), allOf(containsString("7.250000 USDT"), containsString("钱包")));
    }

    @Test
    void anOperatorsCreditIsToldToTheCustomerAndADebitOrAReplayIsNot() {
        long userId = newUserId();
        send(userId, "/start");
        String key = UUID.randomUUID().toString();

        for (int i = 0; i < 2; i++) {
            operator()
                    .header("Idempotency-Key", key)
                    .contentType(ContentType.JSON)
                    .body("{\"amount\":\"12.500000\",\"reason\":\"goodwill\"}")
                    .when()
                    .post("/admin/users/" + userId + "/adjustments")
                    .then()
                    .statusCode(anyOf(is(200), is(201)));
        }
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"-2.500000\",\"reason\":\"correction\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(anyOf(is(200), is(201)));

        var notices = noticesTo(userId, "credit_adjusted");
        assertEquals(1, notices.size(), "one notice for the credit, none for its replay or the debit: " + notices);
        org.hamcrest.MatcherAssert.assertThat(
                notices.get(0),
                allOf(containsString("12.500000 USDT"), containsString("wallet now holds 12.500000 USDT")));
    }
}
