package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.api.support.Rows;
import io.premiumbot.api.support.StockedTreasury;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** Nothing is sold that the bot's Stars, less what is already promised, can't deliver: every way to pay. */
@QuarkusTest
class StarTreasuryTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    @AfterEach
    void restock() {
        LedgerInvariant.assertHolds(pool);
        StockedTreasury.plenty(pool);
    }

    @Test
    void aWalletPurchaseTheStarsDontCoverIsRefusedAndNothingIsCharged() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        StockedTreasury.leave(pool, 999);

        send(buyer, "/buy 3").body("text", allOf(containsString("sold out"), containsString("Nothing was charged")));

        operator().get("/admin/users/" + buyer).then().body("balance", is("20.000000"));
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        assertEquals(
                1,
                Rows.count(pool, "select count(*) from ledger_entries where user_id = $1", buyer),
                "only the credit");
    }

    @Test
    void aWalletPurchaseTheStarsJustCoverGoesThrough() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        StockedTreasury.leave(pool, 1000);

        send(buyer, "/buy 3").body("text", containsString("is paid"));
    }

    @Test
    void thePayButtonOfAConfirmationIsRefusedWhenTheStarsDontCoverAndTheConfirmationStaysUsable() {
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        String payFromWallet =
                press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[0][0].callback_data");
        StockedTreasury.leave(pool, 500);

        press(buyer, "en", payFromWallet).body("text", containsString("sold out"));
        operator().get("/admin/users/" + buyer).then().body("balance", is("20.000000"));

        StockedTreasury.plenty(pool);
        press(buyer, "en", payFromWallet).body("text", containsString("is paid"));
    }

    @Test
    void noOnChainPayAmountIsHandedOutWhenTheStarsDontCover() {
        long buyer = newUserId();
        send(buyer, "/start");
        StockedTreasury.leave(pool, 999);

        send(buyer, "/buy 3").body("text", containsString("sold out")).body("text", not(containsString("USDT to")));

        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
        assertEquals(0, Rows.count(pool, "select count(*) from payment_requests where user_id = $1", buyer));
    }

    @Test
    void noStarsInvoiceIsSentWhenTheStarsDontCover() {
        long buyer = newUserId();
        String payInStars =
                press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[2][0].callback_data");
        StockedTreasury.leave(pool, 999);

        press(buyer, "en", payInStars).body("method", is("sendMessage")).body("text", containsString("sold out"));
        operator().get("/admin/orders?user=" + buyer).then().body("items", empty());
    }

    @Test
    void aStarsCheckoutIsDeclinedWhenTheStarsNoLongerCoverTheGift() {
        long buyer = newUserId();
        String orderId = starsOrderInvoiced(buyer);
        // a chargeback the worker's last read showed: the Stars promised to this order are gone
        StockedTreasury.leave(pool, -1);

        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId))
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(false))
                .body("error_message", containsString("sold out"));

        StockedTreasury.leave(pool, 0);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId))
                .body("ok", is(true));
    }

    @Test
    void aStarsCheckoutOfAnOrderWithoutAHoldTakesOneAndIsDeclinedWhenNoneIsLeft() {
        long buyer = newUserId();
        String orderId = starsOrderInvoiced(buyer);
        Rows.change(pool, "update orders set star_hold = false where id = $1", orderId);
        StockedTreasury.leave(pool, 999);

        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId))
                .body("ok", is(false));

        StockedTreasury.leave(pool, 1000);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId))
                .body("ok", is(true));
        assertEquals(1, Rows.count(pool, "select count(*) from orders where id = $1 and star_hold", orderId));
    }

    /** A 3-month order for oneself whose Stars invoice was sent (it holds its gift); its id. */
    private static String starsOrderInvoiced(long buyer) {
        String payInStars =
                press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[2][0].callback_data");
        press(buyer, "en", payInStars).body("method", is("sendInvoice"));
        return operator().get("/admin/orders?user=" + buyer).then().extract().path("items[0].id");
    }

    @Test
    void ofTwentyConcurrentPurchasesForTheLastFiveThousandStarsExactlyFiveArePaid() throws Exception {
        List<Long> buyers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long buyer = newUserId();
            send(buyer, "/start");
            credit(buyer, "20").statusCode(201);
            buyers.add(buyer);
        }
        StockedTreasury.leave(pool, 5000);

        ExecutorService threads = Executors.newFixedThreadPool(20);
        List<String> answers = new ArrayList<>();
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (long buyer : buyers) {
                calls.add(threads.submit(() -> send(buyer, "/buy 3").extract().path("text")));
            }
            for (Future<String> call : calls) {
                answers.add(call.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(
                5, answers.stream().filter(text -> text.contains("is paid")).count(), answers.toString());
        assertEquals(
                15, answers.stream().filter(text -> text.contains("sold out")).count(), answers.toString());
        assertEquals(
                5,
                Rows.count(
                        pool,
                        "select count(*) from orders where status = 'PAID' and buyer_id = any($1)",
                        buyers.toArray(Long[]::new)));
        assertEquals(
                15,
                Rows.count(
                        pool,
                        "select count(*) from users where telegram_id = any($1) and balance_micros = 20000000",
                        buyers.toArray(Long[]::new)));
    }

    @Test
    void aRefusedPurchaseStartsOneSoldOutSpellForTheOperator() {
        Rows.change(pool, "update star_treasury set sold_out_since = null where id = $1", 1);
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        StockedTreasury.leave(pool, 0);

        send(buyer, "/buy 3").body("text", containsString("sold out"));
        Object first = soldOutSince();
        assertNotNull(first);
        send(buyer, "/buy 6").body("text", containsString("sold out"));
        Object second = soldOutSince();
        assertEquals(first, second, "the spell started with the first refusal");
    }

    private Object soldOutSince() {
        return pool.query("select sold_out_since from star_treasury")
                .execute()
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getValue(0);
    }
}
