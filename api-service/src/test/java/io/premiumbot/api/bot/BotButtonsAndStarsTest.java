package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
class BotButtonsAndStarsTest {

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private boolean enqueued(String orderId) {
        return redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(DeliveryJob::parse)
                .anyMatch(job -> job.orderId().equals(orderId));
    }

    @Test
    void theWholePurchaseWorksThroughButtons() {
        long userId = newUserId();
        send(userId, "/start")
                .body("reply_markup.inline_keyboard[0].callback_data", contains("buy:3", "buy:6", "buy:12"));
        credit(userId, "20");

        press(userId, "en", "buy:3")
                .statusCode(200)
                .body("text", containsString("Who gets 3 months"))
                .body("reply_markup.inline_keyboard[0][0].callback_data", is("to:3:" + userId))
                .body("reply_markup.inline_keyboard[1][0].callback_data", is("pick:3"));
        String payFromWallet = press(userId, "en", "to:3:" + userId)
                .body(
                        "text",
                        allOf(
                                containsString("3 months of Premium for you: 13.990000 USDT, or 1000 Stars"),
                                containsString("Your wallet: 20.000000 USDT")))
                .body(
                        "reply_markup.inline_keyboard.flatten().callback_data",
                        contains(
                                startsWith("pw:3:" + userId + ":"),
                                startsWith("pc:3:" + userId + ":"),
                                startsWith("ps:3:" + userId + ":"),
                                startsWith("pr:")))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        press(userId, "en", payFromWallet).body("text", containsString("is paid"));

        String orderId = operator()
                .get("/admin/orders?user=" + userId)
                .then()
                .body("items[0].status", is("PAID"))
                .extract()
                .path("items[0].id");
        assertTrue(enqueued(orderId));
        operator().get("/admin/users/" + userId).then().body("balance", is("6.010000"));
    }

    @Test
    void theButtonsSpeakChinese() {
        long userId = newUserId();
        press(userId, "zh-hans", "buy:6")
                .body("text", is("6 个月 Premium 送给谁？"))
                .body("reply_markup.inline_keyboard[0][0].text", is("给自己"));
        String payFromWallet = press(userId, "zh-hans", "to:6:" + userId)
                .body("text", containsString("为 您自己 购买 6 个月 Premium"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        String confirmation = payFromWallet.substring(payFromWallet.lastIndexOf(':') + 1);
        press(userId, "zh-hans", payFromWallet)
                .body("text", is("钱包余额不足。请改用 USDT 链上付款或 Telegram Stars："))
                .body(
                        "reply_markup.inline_keyboard.flatten().callback_data",
                        contains("pc:6:" + userId + ":" + confirmation, "ps:6:" + userId + ":" + confirmation));
        operator().get("/admin/orders?user=" + userId).then().body("items", empty());
    }

    @Test
    void aRecipientPickedWithTheUserPickerGetsTheGiftPaidInStars() {
        long buyer = newUserId();
        long friend = newUserId();
        send(buyer, "/start");
        press(buyer, "en", "pick:12").body("reply_markup.keyboard[0][0].request_users.request_id", is(12));
        String payInStars = sendUpdate(usersSharedUpdate(nextUpdateId(), buyer, 12, friend, "pal" + friend))
                .body("text", containsString("12 months of Premium for @pal" + friend))
                .extract()
                .path("reply_markup.inline_keyboard[2][0].callback_data");
        press(buyer, "en", payInStars)
                .statusCode(200)
                .body("method", is("sendInvoice"))
                .body("currency", is("XTR"))
                .body("prices[0].amount", is(2500))
                .body("payload", startsWith("order:"));

        String orderId = operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .body("items[0].status", is("PENDING_PAYMENT"))
                .body("items[0].payMethod", is("STARS"))
                .body("items[0].recipientId", is(friend))
                .body("items[0].recipientUsername", is("pal" + friend))
                .extract()
                .path("items[0].id");
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 2500, "order:" + orderId))
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(true));

        String charge = "charge-" + orderId;
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 2500, "order:" + orderId, charge))
                .body("text", containsString("is paid with 2500 Stars"));
        operator()
                .get("/admin/orders/" + orderId)
                .then()
                .body("status", is("PAID"))
                .body("paidAt", notNullValue());
        assertTrue(enqueued(orderId));

        // the same charge reported again (a new update) is recorded once and changes nothing
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 2500, "order:" + orderId, charge))
                .statusCode(200)
                .body(emptyOrNullString());
        long charges = pool.preparedQuery("select count(*) from payments where provider = 'STARS' and external_id = $1")
                .execute(Tuple.of(charge))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(1L, charges);
        // a picked recipient becomes known to the bot: a typed @username then finds them (and asks first)
        send(buyer, "/buy 3 @pal" + friend)
                .body("reply_markup.inline_keyboard[0][0].callback_data", startsWith("pa:3:" + friend + ":"));
    }

    @Test
    void aCheckoutForAnExpiredOrderIsDeclinedAndAPaymentForItRefunded() {
        long buyer = newUserId();
        String payInStars =
                press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[2][0].callback_data");
        press(buyer, "en", payInStars).body("method", is("sendInvoice"));
        String orderId =
                operator().get("/admin/orders?user=" + buyer).then().extract().path("items[0].id");
        pool.preparedQuery("update orders set expires_at = now() - interval '1 minute' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));

        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId))
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(false))
                .body("error_message", containsString("can no longer be paid"));
        sendUpdate(preCheckoutUpdate(nextUpdateId(), newUserId(), 1000, "order:" + orderId))
                .body("ok", is(false))
                .body("error_message", containsString("someone else"));
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 999, "order:NXSUCH22"))
                .body("ok", is(false));

        pool.preparedQuery("update orders set status = 'EXPIRED' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));
        // refunded by the worker in Stars (recorded, retried, verified), not as a best-effort call riding in this reply
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId, "late-" + orderId))
                .body("method", is("sendMessage"))
                .body("text", containsString("being refunded"));
        assertEquals(
                "PENDING",
                pool.preparedQuery("select status from star_refunds where charge_id = $1 and user_id = $2")
                        .execute(Tuple.of("late-" + orderId, buyer))
                        .await()
                        .atMost(Duration.ofSeconds(5))
                        .iterator()
                        .next()
                        .getString(0));
        operator().get("/admin/orders/" + orderId).then().body("status", is("EXPIRED"));
    }

    @Test
    void aRecipientWhoRefusesPremiumGiftsIsRefusedBeforeAnyPayment() {
        long buyer = newUserId();
        long picky = newUserId();
        FakeTelegram.api().refusePremiumGifts(picky);
        sendUpdate(textUpdate(nextUpdateId(), picky, "picky" + picky, "en", "/start"));
        send(buyer, "/start");
        credit(buyer, "50");

        send(buyer, "/buy 3 @picky" + picky).body("text", containsString("doesn't accept Premium gifts"));
        press(buyer, "en", "pw:3:" + picky).body("text", containsString("doesn't accept Premium gifts"));
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        operator().get("/admin/users/" + buyer).then().body("balance", is("50.000000"));
    }

    @Test
    void aButtonForSomeoneElsesOrderIsRefused() {
        long owner = newUserId();
        send(owner, "/start");
        send(owner, "/buy 3");
        String orderId =
                operator().get("/admin/orders?user=" + owner).then().extract().path("items[0].id");
        press(newUserId(), "en", "so:" + orderId).body("text", is("That order isn't yours."));
        press(owner, "en", "so:" + orderId).body("method", is("sendInvoice")).body("payload", is("order:" + orderId));
        press(owner, "en", "nonsense:1:2").body("method", is("answerCallbackQuery"));
    }

    @Test
    void aFloodingUserIsToldOnceAWindowAndThenIgnored() {
        long userId = newUserId();
        int answered = 0;
        int warnings = 0;
        int ignored = 0;
        // 61 updates in well under two 10-second windows: at least one window overflows
        for (int i = 0; i < 61; i++) {
            var response = send(userId, "/balance").statusCode(200).extract().response();
            String text = response.asString().isEmpty() ? null : response.path("text");
            if (text == null) {
                ignored++;
            } else if (text.startsWith("Your wallet")) {
                answered++;
            } else {
                assertEquals("You are sending messages too fast; please wait a few seconds.", text);
                warnings++;
            }
        }
        assertTrue(warnings >= 1 && warnings <= 2, warnings + " warnings");
        assertTrue(answered >= 30 && answered <= 60, answered + " answered");
        assertEquals(61 - answered - warnings, ignored);
    }

    @Test
    void aPurchaseNeverWaitsForTheMessageBudgetTheGiftsUse() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20");
        // gifts have reserved the budget's next 5 s (the limiter's next free slot, µs of Redis' clock, lies ahead)
        String nextSlot = "{premium}:telegram:rate:next";
        redis.value(String.class).psetex(nextSlot, 10_000, Long.toString((System.currentTimeMillis() + 5_000) * 1_000));
        try {
            send(buyer, "/buy 3").body("text", containsString("is paid"));
        } finally {
            redis.key(String.class).del(nextSlot);
        }
        assertTrue(
                FakeTelegram.api().calls("getChat").stream().anyMatch(call -> call.longParam("chat_id") == buyer),
                "getChat is not a message: the recipient is checked whatever the gifts hold of the budget");
    }

    @Test
    void aRecipientCheckedMomentsAgoIsNotAskedAgain() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "50");

        send(buyer, "/buy 3").body("text", containsString("is paid"));
        send(buyer, "/buy 3").body("text", containsString("is paid"));

        assertEquals(
                1,
                FakeTelegram.api().calls("getChat").stream()
                        .filter(call -> call.longParam("chat_id") == buyer)
                        .count(),
                "what Telegram said about the buyer seconds ago still stands");
    }
}
