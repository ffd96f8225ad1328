package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class WebhookTest {

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    @Test
    void rejectsAWrongOrMissingSecretAndDoesNothing() {
        long userId = newUserId();
        String update = textUpdate(nextUpdateId(), userId, "intruder", "en", "/start");
        given().contentType(ContentType.JSON)
                .body(update)
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", "wrong-secret")
                .body(update)
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(401);
        operator().get("/admin/users/" + userId).then().statusCode(404);
    }

    @Test
    void startRegistersTheUserAndWelcomesThem() {
        long userId = newUserId();
        send(userId, "/start")
                .statusCode(200)
                .body("method", is("sendMessage"))
                .body("chat_id", is(userId))
                .body("text", containsString("Welcome, Tester"));
        operator()
                .get("/admin/users/" + userId)
                .then()
                .statusCode(200)
                .body("telegramId", is(userId))
                .body("username", is("u" + userId))
                .body("balance", is("0.000000"));
        send(userId, "/start").body("text", containsString("Welcome back"));
    }

    @Test
    void buyWithACoveringWalletPaysAtOnceAndEnqueuesTheDelivery() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "20").statusCode(201);
        send(userId, "/buy 3").statusCode(200).body("text", containsString("is paid"));

        String orderId = operator()
                .get("/admin/orders?user=" + userId)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].status", is("PAID"))
                .body("items[0].months", is(3))
                .body("items[0].price", is("13.990000"))
                .body("items[0].recipientId", is(userId))
                .body("items[0].paidAt", notNullValue())
                .body("items[0].payMethod", is("WALLET"))
                .extract()
                .path("items[0].id");
        operator().get("/admin/users/" + userId).then().body("balance", is("6.010000"));
        operator()
                .get("/admin/users/" + userId + "/ledger")
                .then()
                .body("items", hasSize(2))
                .body("items[0].amount", is("-13.990000"))
                .body("items[0].balanceAfter", is("6.010000"))
                .body("items[0].reason", is("ORDER_PAYMENT"))
                .body("items[0].reference", is(orderId));

        List<String> ready = redis.list(String.class).lrange(QueueKeys.READY, 0, -1);
        assertTrue(
                ready.stream()
                        .map(DeliveryJob::parse)
                        .anyMatch(job -> job.orderId().equals(orderId) && job.attempt() == 1),
                "the ready list holds the job of " + orderId + ": " + ready);
        LedgerInvariant.assertHolds(pool);
    }

    @Test
    void aReplayedUpdateHasNoSecondEffect() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "100");
        String update = textUpdate(nextUpdateId(), userId, "u" + userId, "en", "/buy 3");
        sendUpdate(update).statusCode(200).body("text", containsString("is paid"));
        sendUpdate(update).statusCode(200);

        operator().get("/admin/orders?user=" + userId).then().body("items", hasSize(1));
        operator().get("/admin/users/" + userId).then().body("balance", is("86.010000"));
    }

    @Test
    void aReplayedPurchaseIsAnsweredWithTheFirstAnswer() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "100");
        String update = textUpdate(nextUpdateId(), userId, "u" + userId, "en", "/buy 3");
        String first = sendUpdate(update).statusCode(200).extract().asString();
        assertTrue(first.contains("is paid"), first);

        // the same order id and balance after, not a second purchase's and not silence
        sendUpdate(update).statusCode(200).body(is(first));
    }

    @Test
    void aReplayedHelpGetsItsAnswer() {
        long userId = newUserId();
        String update = textUpdate(nextUpdateId(), userId, "u" + userId, "en", "/help");
        String first = sendUpdate(update)
                .statusCode(200)
                .body("method", is("sendMessage"))
                .extract()
                .path("text");

        sendUpdate(update).statusCode(200).body("method", is("sendMessage")).body("text", is(first));
    }

    @Test
    void aReplayNearTheEndOfTheRetentionWindowStillHasNoSecondEffect() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "100");
        long updateId = nextUpdateId();
        String update = textUpdate(updateId, userId, "u" + userId, "en", "/buy 3");
        sendUpdate(update).statusCode(200).body("text", containsString("is paid"));
        // the worker prunes claims older than 48 h by default; this one is just inside that window
        pool.preparedQuery(
                        "update processed_updates set received_at = now() - interval '47 hours' where update_id = $1")
                .execute(Tuple.of(updateId))
                .await()
                .indefinitely();

        sendUpdate(update).statusCode(200).body("text", containsString("is paid"));

        operator().get("/admin/orders?user=" + userId).then().body("items", hasSize(1));
        operator().get("/admin/users/" + userId).then().body("balance", is("86.010000"));
    }

    @Test
    void buyWithoutEnoughMoneyAsksForAUniqueOnChainAmount() {
        long userId = newUserId();
        send(userId, "/start");
        String text = send(userId, "/buy 6").statusCode(200).extract().path("text");
        assertTrue(text.contains("TTestReceiveAddress1111111111111111"), text);

        operator()
                .get("/admin/orders?user=" + userId)
                .then()
                .body("items[0].status", is("PENDING_PAYMENT"))
                .body("items[0].payMethod", is("TRC20"))
                // price 18.99 plus a 4-decimal suffix of 0.0001 to 0.9999
                .body("items[0].payAmount", matchesPattern("(18\\.99|19\\.[0-9]{2})[0-9]{2}00"));
        String payAmount =
                operator().get("/admin/orders?user=" + userId).then().extract().path("items[0].payAmount");
        assertTrue(text.contains(payAmount + " USDT"), text);
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
    }

    @Test
    void buyForAKnownUsernameGiftsThatUserOnceConfirmed() {
        long friend = newUserId();
        sendUpdate(textUpdate(nextUpdateId(), friend, "friend" + friend, "en", "/start"));
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "50");
        String confirm = send(buyer, "/buy 12 @friend" + friend)
                .body("text", containsString("@friend" + friend))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        press(buyer, "en", confirm).body("text", containsString("@friend" + friend));
        operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .body("items[0].recipientId", is(friend))
                .body("items[0].buyerId", is(buyer))
                .body("items[0].status", is("PAID"));
    }

    @Test
    void anUnknownUsernameIsRefusedBeforeAnyPayment() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "50");
        send(buyer, "/buy 3 @nobody_knows_me")
                .body("text", containsString("@nobody_knows_me isn't someone I can gift right now"));
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        operator().get("/admin/users/" + buyer).then().body("balance", is("50.000000"));
    }

    @Test
    void badInputGetsAHelpfulReplyNotAnError() {
        long userId = newUserId();
        send(userId, "/start");
        send(userId, "/buy 4").statusCode(200).body("text", containsString("/buy 3, /buy 6 or /buy 12"));
        send(userId, "/buy").statusCode(200).body("text", containsString("/buy 3, /buy 6 or /buy 12"));
        send(userId, "/frobnicate").statusCode(200).body("text", containsString("/help"));
        send(userId, "hello there").statusCode(200).body("text", containsString("/help"));
        send(userId, "/topup lots").statusCode(200).body("text", containsString("/topup 20"));
        send(userId, "/buy " + "9".repeat(300)).statusCode(200).body("text", containsString("too long"));
        operator().get("/admin/orders?user=" + userId).then().body("items", empty());
    }

    @Test
    void malformedUpdatesAreRejectedWithAProblem() {
        given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                .body("{\"message\":{}}")
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                .body("{not json")
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(400);
    }

    @Test
    void aChineseSpeakerBuysWithTextCommands() {
        long userId = newUserId();
        sendUpdate(textUpdate(nextUpdateId(), userId, "zh" + userId, "zh-hans", "/start"))
                .body("text", startsWith("欢迎"));
        credit(userId, "20");
        sendUpdate(textUpdate(nextUpdateId(), userId, "zh" + userId, "zh-hans", "/buy 3"))
                .body("text", allOf(containsString("已支付"), containsString("为 您自己 购买 3 个月 Premium")));
        sendUpdate(textUpdate(nextUpdateId(), userId, "zh" + userId, "zh-hans", "/orders"))
                .body("text", containsString("PAID"));
        sendUpdate(textUpdate(nextUpdateId(), userId, "zh" + userId, "zh-hans", "/buy 7"))
                .body("text", startsWith("请告诉我月数"));
    }

    @Test
    void speaksChineseToChineseUsers() {
        long userId = newUserId();
        sendUpdate(textUpdate(nextUpdateId(), userId, "zh" + userId, "zh-hans", "/balance"))
                .body("text", is("您的钱包：0.000000 USDT"));
    }

    @Test
    void answersBalanceOrdersHelpAndSupport() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "30");
        send(userId, "/balance").body("text", is("Your wallet: 30.000000 USDT"));
        send(userId, "/orders").body("text", containsString("no orders yet"));
        send(userId, "/buy 3");
        send(userId, "/orders").body("text", allOf(containsString("Your latest orders"), containsString("PAID")));
        send(userId, "/help").body("text", containsString("3 months 13.990000 USDT"));
        send(userId, "/paysupport").body("text", containsString("transaction hash"));
        send(userId, "/topup 25")
                .body("text", allOf(containsString("Send exactly 25."), containsString("TTestReceiveAddress")));
    }
}
