package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
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
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * A gift to a typed {@code @username} goes only to the account Telegram reports under it now, and only after the
 * buyer confirmed who that is; a purchase for oneself stays one step.
 */
@QuarkusTest
class GiftRecipientTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private void sql(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5));
    }

    /** The user talks to the bot as {@code @username} (and Telegram reports them so). */
    private static void meet(long userId, String username) {
        sendUpdate(textUpdate(nextUpdateId(), userId, username, "en", "/start")).statusCode(200);
    }

    private static long buyerWith50() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "50").statusCode(201);
        return buyer;
    }

    private static long getChatsAbout(long userId) {
        return FakeTelegram.api().calls("getChat").stream()
                .filter(call -> String.valueOf(userId).equals(call.params().get("chat_id")))
                .count();
    }

    private static void nothingBoughtBy(long buyer) {
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        operator().get("/admin/users/" + buyer).then().body("balance", is("50.000000"));
    }

    /** The Confirm button's callback data of the reply to {@code /buy <months> @<username>}. */
    private static String confirmButton(long buyer, int months, String username) {
        return send(buyer, "/buy " + months + " @" + username)
                .body("reply_markup.inline_keyboard[0][0].text", is("Confirm"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
    }

    private static String confirmationOf(String button) {
        return button.substring(button.lastIndexOf(':') + 1);
    }

    @Test
    void aGiftToARenamedHandleIsRefusedAndCostsNothing() {
        long renamed = newUserId();
        String handle = "handle" + renamed;
        meet(renamed, handle);
        // they renamed; the old handle now belongs to nobody
        FakeTelegram.api().username(renamed, "renamed" + renamed);
        long buyer = buyerWith50();

        send(buyer, "/buy 3 @" + handle)
                .body("text", containsString("@" + handle + " isn't someone I can gift right now"))
                .body("text", containsString("Nothing was charged"))
                .body("reply_markup", nullValue());

        nothingBoughtBy(buyer);
        operator().get("/admin/orders?user=" + renamed).then().body("items", empty());
        assertEquals(0, number(pool, "select count(*) from purchase_confirmations where buyer_id = $1", buyer));
        // what the bot stores follows Telegram, so the stale handle stops leading to them
        operator().get("/admin/users/" + renamed).then().body("username", is("renamed" + renamed));
        long asked = getChatsAbout(renamed);
        send(buyer, "/buy 3 @" + handle).body("text", containsString("isn't someone I can gift right now"));
        assertEquals(asked, getChatsAbout(renamed), "the stale handle still led to the renamed user");
    }

    @Test
    void aHandleAskedAboutMomentsAgoIsAskedAgainSoItsFormerHolderIsNeverGifted() {
        long friend = newUserId();
        String handle = "moving" + friend;
        meet(friend, handle);
        long buyer = buyerWith50();
        confirmButton(buyer, 3, handle);
        long asked = getChatsAbout(friend);
        // seconds later the handle is gone from them: what getChat said before must not resolve it
        FakeTelegram.api().username(friend, "moved" + friend);

        send(buyer, "/buy 3 @" + handle)
                .body("text", containsString("@" + handle + " isn't someone I can gift right now"))
                .body("reply_markup", nullValue());

        assertEquals(asked + 1, getChatsAbout(friend), "a typed handle is resolved by Telegram's answer of the moment");
        nothingBoughtBy(buyer);
    }

    @Test
    void aHandleNowHeldBySomeoneElseIsNeverGiftedToTheOldHolder() {
        long oldHolder = newUserId();
        String handle = "taken" + oldHolder;
        meet(oldHolder, handle);
        // the new holder took the handle but never talked to the bot: it can't know their id
        long newHolder = newUserId();
        FakeTelegram.api().username(oldHolder, "moved" + oldHolder).username(newHolder, handle);
        long buyer = buyerWith50();

        send(buyer, "/buy 3 @" + handle)
                .body("text", containsString("isn't someone I can gift right now"))
                .body("reply_markup", nullValue());

        nothingBoughtBy(buyer);
        operator().get("/admin/orders?user=" + oldHolder).then().body("items", empty());
        operator().get("/admin/users/" + oldHolder).then().body("username", is("moved" + oldHolder));
    }

    @Test
    void aHandleHeldBySomeoneTheBotKnowsGoesToThemEvenWhenTheOldHoldersRowIsNewer() {
        long oldHolder = newUserId();
        String handle = "passed" + oldHolder;
        meet(oldHolder, handle);
        FakeTelegram.api().username(oldHolder, "gone" + oldHolder);
        long newHolder = newUserId();
        meet(newHolder, handle);
        // the old holder's stale row is the most recently touched one
        sql("update users set updated_at = now() + interval '1 minute' where telegram_id = $1", oldHolder);
        long buyer = buyerWith50();

        String confirm = send(buyer, "/buy 3 @" + handle)
                .body("text", containsString("to User" + newHolder + " (@" + handle + ")"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        assertTrue(confirm.startsWith("pa:3:" + newHolder + ":"), confirm);
        press(buyer, "en", confirm).body("text", containsString("is paid"));

        operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .body("items", hasSize(1))
                .body("items[0].recipientId", is(newHolder))
                .body("items[0].status", is("PAID"));
        operator().get("/admin/orders?user=" + oldHolder).then().body("items", empty());
        operator().get("/admin/users/" + oldHolder).then().body("username", is("gone" + oldHolder));
    }

    @Test
    void buyingForSomeoneElseAsksBeforeChargingAnything() {
        long friend = newUserId();
        meet(friend, "friend" + friend);
        long buyer = buyerWith50();

        String confirm = send(buyer, "/buy 12 @friend" + friend)
                .body(
                        "text",
                        containsString("Gift 12 months of Telegram Premium to User" + friend + " (@friend" + friend
                                + ") for 31.990000 USDT?"))
                .body("text", containsString("Your wallet: 50.000000 USDT"))
                .body("reply_markup.inline_keyboard[0].text", contains("Confirm", "Cancel"))
                .body("reply_markup.inline_keyboard[0][1].callback_data", startsWith("cx:"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        assertTrue(confirm.startsWith("pa:12:" + friend + ":"), confirm);
        nothingBoughtBy(buyer);

        press(buyer, "en", confirm).body("text", containsString("is paid")).body("text", containsString("@friend"));
        operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .body("items", hasSize(1))
                .body("items[0].recipientId", is(friend))
                .body("items[0].price", is("31.990000"))
                .body("items[0].status", is("PAID"));
        operator().get("/admin/users/" + buyer).then().body("balance", is("18.010000"));
    }

    @Test
    void confirmingTwiceBuysOnce() throws Exception {
        long friend = newUserId();
        meet(friend, "twice" + friend);
        long buyer = buyerWith50();
        String confirm = confirmButton(buyer, 3, "twice" + friend);

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService taps = Executors.newFixedThreadPool(3);
        List<Long> updateIds = new ArrayList<>();
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                long updateId = nextUpdateId();
                updateIds.add(updateId);
                answers.add(taps.submit(() -> {
                    go.await();
                    return sendUpdate(callbackUpdate(updateId, buyer, "en", confirm))
                            .statusCode(200)
                            .extract()
                            .response();
                }));
            }
            go.countDown();
            int paid = 0;
            for (Future<Response> answer : answers) {
                if (answer.get().asString().contains("is paid")) {
                    paid++;
                }
            }
            assertEquals(1, paid);
        } finally {
            taps.shutdownNow();
        }
        // Telegram delivering a tap again gets its first answer and buys nothing more
        sendUpdate(callbackUpdate(updateIds.get(0), buyer, "en", confirm)).statusCode(200);
        press(buyer, "en", confirm).body("text", containsString("already used"));

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
    void buyingForOneselfStaysOneStep() {
        long buyer = buyerWith50();

        send(buyer, "/buy 3").body("text", containsString("is paid")).body("reply_markup", nullValue());
        // their own handle is themself too, as Telegram stamped it on the update
        send(buyer, "/buy 3 @U" + buyer).body("text", containsString("is paid"));

        operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .body("items", hasSize(2))
                .body("items.recipientId", everyItem(is(buyer)))
                .body("items.status", everyItem(is("PAID")));
        assertEquals(0, number(pool, "select count(*) from purchase_confirmations where buyer_id = $1", buyer));
    }

    @Test
    void aHandleThatChangedOwnerBeforeALateConfirmIsNotGifted() {
        long friend = newUserId();
        String handle = "late" + friend;
        meet(friend, handle);
        long buyer = buyerWith50();
        String confirm = confirmButton(buyer, 3, handle);
        // between the question and the tap the friend renamed and someone else took the handle
        FakeTelegram.api().username(friend, "elsewhere" + friend).username(newUserId(), handle);
        sql(
                "update purchase_confirmations set created_at = now() - interval '2 minutes' where id = $1",
                Long.parseLong(confirmationOf(confirm)));

        press(buyer, "en", confirm).body("text", containsString("@" + handle + " no longer belongs to the account"));

        nothingBoughtBy(buyer);
        assertEquals(
                0,
                number(
                        pool,
                        "select count(*) from purchase_confirmations where buyer_id = $1 and used_at is not null",
                        buyer));
        operator().get("/admin/users/" + friend).then().body("username", is("elsewhere" + friend));
    }

    @Test
    void aLateConfirmAsksTelegramAgainAndBuysWhenTheHolderIsTheSame() {
        long friend = newUserId();
        meet(friend, "steady" + friend);
        long buyer = buyerWith50();
        String confirm = confirmButton(buyer, 3, "steady" + friend);
        long asked = getChatsAbout(friend);
        sql(
                "update purchase_confirmations set created_at = now() - interval '2 minutes' where id = $1",
                Long.parseLong(confirmationOf(confirm)));

        press(buyer, "en", confirm).body("text", containsString("is paid"));

        assertEquals(asked + 1, getChatsAbout(friend));
        operator().get("/admin/orders?user=" + buyer).then().body("items[0].recipientId", is(friend));
    }

    @Test
    void anExpiredGiftConfirmationIsRefused() {
        long friend = newUserId();
        meet(friend, "slow" + friend);
        long buyer = buyerWith50();
        String confirm = confirmButton(buyer, 3, "slow" + friend);
        sql(
                "update purchase_confirmations set expires_at = now() - interval '1 minute' where id = $1",
                Long.parseLong(confirmationOf(confirm)));

        press(buyer, "en", confirm).body("text", containsString("This confirmation has expired; nothing was charged"));

        nothingBoughtBy(buyer);
    }

    @Test
    void aCancelledGiftConfirmationNeverBuys() {
        long friend = newUserId();
        meet(friend, "maybe" + friend);
        long buyer = buyerWith50();
        String confirm = confirmButton(buyer, 3, "maybe" + friend);

        press(buyer, "en", "cx:" + confirmationOf(confirm)).body("text", is("Cancelled. Nothing was charged."));
        press(buyer, "en", confirm).body("text", containsString("This confirmation was cancelled"));

        nothingBoughtBy(buyer);
    }

    @Test
    void whenTelegramCantSayWhoHoldsAHandleNothingIsCharged() {
        long friend = newUserId();
        meet(friend, "unsure" + friend);
        long buyer = buyerWith50();
        FakeTelegram.api().failNextFor("getChat", friend, 502, "Bad Gateway");

        send(buyer, "/buy 3 @unsure" + friend)
                .body("text", containsString("can't check with Telegram who @unsure" + friend + " is right now"))
                .body("reply_markup", nullValue());

        nothingBoughtBy(buyer);
        assertEquals(0, number(pool, "select count(*) from purchase_confirmations where buyer_id = $1", buyer));
    }
}
