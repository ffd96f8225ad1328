package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** Buttons: one confirmation buys once at the price it showed, and every press is answered with HTTP 200. */
@QuarkusTest
class ButtonsTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private void sql(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(5));
    }

    /** A buyer with 50 USDT and the "pay from wallet" button of a confirmation for 3 months for themself. */
    private static String walletButtonOfAConfirmation(long buyer) {
        send(buyer, "/start");
        credit(buyer, "50").statusCode(201);
        return press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[0][0].callback_data");
    }

    private static String confirmationOf(String button) {
        return button.substring(button.lastIndexOf(':') + 1);
    }

    private static Response pressAs(long updateId, long userId, String data) {
        return sendUpdate(callbackUpdate(updateId, userId, "en", data))
                .statusCode(200)
                .extract()
                .response();
    }

    private static boolean answered(long updateId) {
        return FakeTelegram.api().calls("answerCallbackQuery").stream()
                .anyMatch(call -> ("cb" + updateId).equals(call.params().get("callback_query_id")));
    }

    @Test
    void aConfirmationPressTelegramDeliversTwiceIsAnsweredWithTheFirstAnswerAndRecordedOnce() {
        long buyer = newUserId();
        send(buyer, "/start");
        long updateId = nextUpdateId();
        String first = sendUpdate(callbackUpdate(updateId, buyer, "en", "to:3:" + buyer))
                .statusCode(200)
                .body("reply_markup.inline_keyboard[0][0].callback_data", startsWith("pw:3:"))
                .extract()
                .asString();

        String again = sendUpdate(callbackUpdate(updateId, buyer, "en", "to:3:" + buyer))
                .statusCode(200)
                .extract()
                .asString();

        assertEquals(first, again);
        assertEquals(1, number(pool, "select count(*) from purchase_confirmations where buyer_id = $1", buyer));
    }

    @Test
    void tappingPayTwiceOrThriceOnOneConfirmationBuysOnce() {
        long buyer = newUserId();
        String pay = walletButtonOfAConfirmation(buyer);

        press(buyer, "en", pay).statusCode(200).body("text", containsString("is paid"));
        String orderId =
                operator().get("/admin/orders?user=" + buyer).then().extract().path("items[0].id");
        press(buyer, "en", pay)
                .statusCode(200)
                .body("method", is("answerCallbackQuery"))
                .body("text", containsString("already used: order " + orderId));
        press(buyer, "en", "pc:3:" + buyer + ":" + confirmationOf(pay))
                .statusCode(200)
                .body("method", is("answerCallbackQuery"));

        operator().get("/admin/orders?user=" + buyer).then().body("items", hasSize(1));
        operator().get("/admin/users/" + buyer).then().body("balance", is("36.010000"));
        assertEquals(
                1,
                number(
                        pool,
                        "select count(*) from ledger_entries where user_id = $1 and reason = 'ORDER_PAYMENT'",
                        buyer));
    }

    @Test
    void concurrentTapsOnOneConfirmationBuyOnce() throws Exception {
        long buyer = newUserId();
        String pay = walletButtonOfAConfirmation(buyer);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService taps = Executors.newFixedThreadPool(3);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                long updateId = nextUpdateId();
                answers.add(taps.submit(() -> {
                    go.await();
                    return pressAs(updateId, buyer, pay);
                }));
            }
            go.countDown();
            int paid = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(200, response.statusCode());
                if (response.asString().contains("is paid")) {
                    paid++;
                } else {
                    assertEquals("answerCallbackQuery", response.path("method"), response.asString());
                }
            }
            assertEquals(1, paid);
        } finally {
            taps.shutdownNow();
        }
        operator().get("/admin/orders?user=" + buyer).then().body("items", hasSize(1));
        operator().get("/admin/users/" + buyer).then().body("balance", is("36.010000"));
    }

    @Test
    void thePriceShownAtConfirmationIsThePriceCharged() {
        long buyer = newUserId();
        String pay = walletButtonOfAConfirmation(buyer);
        String before = operator().get("/admin/prices").then().extract().path("items.find { it.months == 3 }.price");
        assertEquals("13.990000", before);
        try {
            operator()
                    .contentType(ContentType.JSON)
                    .body("{\"price\":\"20.000000\"}")
                    .put("/admin/prices/3")
                    .then()
                    .statusCode(200);

            press(buyer, "en", pay).statusCode(200).body("text", containsString("is paid"));
        } finally {
            operator()
                    .contentType(ContentType.JSON)
                    .body("{\"price\":\"" + before + "\"}")
                    .put("/admin/prices/3")
                    .then()
                    .statusCode(200);
        }
        operator().get("/admin/orders?user=" + buyer).then().body("items[0].price", is("13.990000"));
        operator().get("/admin/users/" + buyer).then().body("balance", is("36.010000"));
    }

    @Test
    void aPressWhoseReplyIsAMessageIsAnsweredToo() {
        long buyer = newUserId();
        long updateId = nextUpdateId();

        Response reply = pressAs(updateId, buyer, "buy:3");

        assertEquals("sendMessage", reply.path("method"));
        await().atMost(Duration.ofSeconds(5)).until(() -> answered(updateId));
    }

    @Test
    void aReplayedPressGetsTheFirstReplyAndItsSpinnerStopped() {
        long buyer = newUserId();
        long updateId = nextUpdateId();
        Response first = pressAs(updateId, buyer, "buy:6");
        await().atMost(Duration.ofSeconds(5)).until(() -> answers(updateId) == 1);

        Response replay = pressAs(updateId, buyer, "buy:6");

        assertEquals("sendMessage", replay.path("method"));
        assertEquals(first.asString(), replay.asString());
        await().atMost(Duration.ofSeconds(5)).until(() -> answers(updateId) == 2);
    }

    private static long answers(long updateId) {
        return FakeTelegram.api().calls("answerCallbackQuery").stream()
                .filter(call -> ("cb" + updateId).equals(call.params().get("callback_query_id")))
                .count();
    }

    @Test
    void aPressThatFailsIsAnsweredWith200AndWritesNothing() {
        long buyer = newUserId();
        String pay = walletButtonOfAConfirmation(buyer);
        String trigger = "fail_orders_" + buyer;
        sql("create function " + trigger
                + "() returns trigger language plpgsql as $$ begin raise exception 'injected outage'; end $$");
        sql("create trigger " + trigger + " before insert on orders for each row when (new.buyer_id = " + buyer
                + ") execute function " + trigger + "()");
        try {
            press(buyer, "en", pay)
                    .statusCode(200)
                    .body("method", is("answerCallbackQuery"))
                    .body("text", containsString("nothing was charged"));
        } finally {
            sql("drop trigger " + trigger + " on orders");
            sql("drop function " + trigger + "()");
        }
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        operator().get("/admin/users/" + buyer).then().body("balance", is("50.000000"));

        press(buyer, "en", pay).statusCode(200).body("text", containsString("is paid"));
    }

    @Test
    void callbackDataThatDoesNotParseGetsAHelpfulAnswerAnd200() {
        long buyer = newUserId();
        send(buyer, "/start");
        for (String data : List.of(
                "pw:3:9999999999999999999",
                "pw:3:" + buyer + ":99999999999999999999",
                "ps:3:12345678901234567890:1",
                "to:3:99999999999999999999",
                "buy:99999999999999999999",
                "so:not-an-order-id",
                "pc:3:" + buyer + ":0",
                "pw:3",
                ":::",
                "")) {
            press(buyer, "en", data)
                    .statusCode(200)
                    .body("method", is("answerCallbackQuery"))
                    .body("text", containsString("didn't understand"));
        }
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
    }

    @Test
    void someoneElsesConfirmationBuysNothing() {
        long buyer = newUserId();
        String pay = walletButtonOfAConfirmation(buyer);
        long other = newUserId();
        send(other, "/start");
        credit(other, "50").statusCode(201);

        press(other, "en", pay).statusCode(200).body("method", is("answerCallbackQuery"));

        operator().get("/admin/orders?user=" + other).then().body("items", empty());
        operator().get("/admin/users/" + other).then().body("balance", is("50.000000"));
    }
}
