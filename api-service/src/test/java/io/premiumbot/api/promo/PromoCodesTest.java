package io.premiumbot.api.promo;

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
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Promo codes on real PostgreSQL: the cap under concurrency, once per customer, the price shown charged, refunds. */
@QuarkusTest
public class PromoCodesTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    /** A fresh code the operator made: {@code discount} is {@code "percentOff":10} or {@code "amountOff":"1.000000"}. */
    public static String newCode(String discount, String extra) {
        String code = "T"
                + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36)
                        .toUpperCase();
        operator()
                .contentType(ContentType.JSON)
                .body("{\"code\":\"" + code.toLowerCase() + "\"," + discount + ",\"months\":[3,6,12]" + extra + "}")
                .post("/admin/promo-codes")
                .then()
                .statusCode(201)
                .body("code", is(code));
        return code;
    }

    private long uses(String code) {
        return number(pool, "select uses from promo_codes where code = $1", code);
    }

    private static long customerWith(String amount) {
        long customer = newUserId();
        send(customer, "/start");
        credit(customer, amount).statusCode(201);
        return customer;
    }

    @Test
    void aCodeAtItsCapRefusesTheNextUseUnderFiftyConcurrentPurchases() throws Exception {
        String code = newCode("\"percentOff\":10", ",\"maxUses\":10");
        List<Long> customers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long customer = customerWith("20");
            send(customer, "/promo " + code).body("text", containsString("Code " + code + " is applied"));
            customers.add(customer);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        try {
            List<Future<Integer>> buys = new ArrayList<>();
            for (long customer : customers) {
                buys.add(threads.submit(() -> {
                    go.await();
                    return send(customer, "/buy 3").extract().statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> buy : buys) {
                assertEquals(200, buy.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(10, uses(code));
        assertEquals(
                10,
                number(
                        pool,
                        "select count(*) from orders o join promo_codes c on c.id = o.promo_code_id"
                                + " where c.code = $1 and o.status = 'PAID' and o.price_micros = 12591000"
                                + " and o.discount_micros = 1399000",
                        code));
        assertEquals(
                10,
                number(
                        pool,
                        "select count(*) from promo_uses u join promo_codes c on c.id = u.code_id"
                                + " where c.code = $1 and u.released_at is null",
                        code));
        // the others bought nothing at a price they weren't shown: refused whole, or at the list price once it was full
        assertEquals(
                0,
                number(
                        pool,
                        "select count(*) from orders where buyer_id = any($1) and promo_code_id is null"
                                + " and price_micros <> 13990000",
                        (Object) customers.toArray(Long[]::new)));
    }

    @Test
    void eachCustomerUsesACodeOnce() {
        String code = newCode("\"percentOff\":10", "");
        long customer = customerWith("40");
        send(customer, "/promo " + code);
        send(customer, "/buy 3").body("text", allOf(containsString("is paid"), containsString("12.591000 USDT")));

        send(customer, "/promo " + code)
                .body("text", is("You have already used code " + code + ": each customer can use it once."));
        send(customer, "/buy 3").body("text", containsString("13.990000 USDT taken from your wallet"));
        assertEquals(1, uses(code));
        operator().get("/admin/users/" + customer).then().body("balance", is("13.419000"));
    }

    @Test
    void theDiscountedPriceShownIsThePriceCharged() {
        String code = newCode("\"amountOff\":\"1.5\"", "");
        long customer = customerWith("20");
        send(customer, "/promo " + code);
        String pay = press(customer, "en", "to:3:" + customer)
                .body("text", containsString("12.490000 USDT with code " + code + " (instead of 13.990000 USDT)"))
                .body("reply_markup.inline_keyboard[0][0].text", is("Pay 12.490000 USDT from my wallet"))
                .body("reply_markup.inline_keyboard.flatten().callback_data", not(hasItem(startsWith("pr:"))))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");

        press(customer, "en", pay).body("text", containsString("12.490000 USDT taken from your wallet"));

        String orderId = operator()
                .get("/admin/orders?user=" + customer)
                .then()
                .body("items[0].price", is("12.490000"))
                .body("items[0].listPrice", is("13.990000"))
                .body("items[0].discount", is("1.500000"))
                .extract()
                .path("items[0].id");
        assertEquals(
                -12_490_000L, number(pool, "select amount_micros from ledger_entries where reference = $1", orderId));
        operator().get("/admin/users/" + customer).then().body("balance", is("7.510000"));
    }

    @Test
    void aStarsPriceGetsTheDiscountRoundedUpToWholeStars() {
        String code = newCode("\"amountOff\":\"1\"", "");
        long customer = customerWith("1");
        send(customer, "/promo " + code);
        String payInStars = press(customer, "en", "to:3:" + customer)
                .body("text", containsString("or 929 Stars (instead of 1000)"))
                .extract()
                .path("reply_markup.inline_keyboard[2][0].callback_data");

        String payload = press(customer, "en", payInStars)
                .body("method", is("sendInvoice"))
                .body("prices[0].amount", is(929))
                .extract()
                .path("payload");
        sendUpdate(preCheckoutUpdate(nextUpdateId(), customer, 1000, payload)).body("ok", is(false));
        sendUpdate(preCheckoutUpdate(nextUpdateId(), customer, 929, payload)).body("ok", is(true));
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), customer, 929, payload, "charge-" + payload))
                .body("text", containsString("is paid with 929 Stars"));

        // the gift itself still costs the bot Telegram's price
        operator()
                .get("/admin/orders?user=" + customer)
                .then()
                .body("items[0].status", is("PAID"))
                .body("items[0].starPrice", is(929))
                .body("items[0].starCount", is(1000))
                .body("items[0].discountStars", is(71));
    }

    @Test
    void aStarsRefundGivesBackTheStarsPaidAndTheUseOnceDone() {
        String code = newCode("\"amountOff\":\"1\"", ",\"maxUses\":1");
        long customer = customerWith("1");
        send(customer, "/promo " + code);
        String payInStars = press(customer, "en", "to:3:" + customer)
                .extract()
                .path("reply_markup.inline_keyboard[2][0].callback_data");
        String payload = press(customer, "en", payInStars).extract().path("payload");
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), customer, 929, payload, "charge-" + payload));
        String orderId = payload.substring("order:".length());
        pool.preparedQuery("update orders set status = 'FAILED' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));

        operator().post("/admin/orders/" + orderId + "/refund").then().statusCode(200);

        assertEquals(929, number(pool, "select stars from star_refunds where order_id = $1", orderId));
        assertEquals(1, uses(code), "held until the worker has the Stars refund verified");
        pool.preparedQuery("update orders set status = 'REFUNDED' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));
        assertEquals(0, uses(code));
    }

    @Test
    void aRefundReturnsWhatWasPaidAndGivesTheUseBack() {
        String code = newCode("\"percentOff\":10", ",\"maxUses\":1");
        long customer = customerWith("20");
        send(customer, "/promo " + code);
        send(customer, "/buy 3").body("text", containsString("is paid"));
        String orderId = operator()
                .get("/admin/orders?user=" + customer)
                .then()
                .extract()
                .path("items[0].id");
        assertEquals(1, uses(code));
        pool.preparedQuery("update orders set status = 'FAILED' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));

        operator().post("/admin/orders/" + orderId + "/refund").then().statusCode(200);

        operator().get("/admin/users/" + customer).then().body("balance", is("20.000000"));
        assertEquals(
                12_591_000L,
                number(
                        pool,
                        "select amount_micros from ledger_entries where idempotency_key = $1",
                        "refund:" + orderId));
        assertEquals(0, uses(code));
        send(customer, "/promo " + code).body("text", containsString("is applied"));
    }

    @Test
    void aPurchaseThatRollsBackDoesNotUseTheCode() {
        String code = newCode("\"percentOff\":10", ",\"maxUses\":5");
        long customer = customerWith("1");
        send(customer, "/promo " + code);
        String pay = press(customer, "en", "to:3:" + customer)
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");

        press(customer, "en", pay).body("text", containsString("Your wallet doesn't cover this"));

        assertEquals(0, uses(code));
        operator().get("/admin/orders?user=" + customer).then().body("items", empty());
    }

    @Test
    void anOrderThatExpiresUnpaidGivesItsUseBack() {
        String code = newCode("\"percentOff\":10", ",\"maxUses\":1");
        long customer = customerWith("1");
        send(customer, "/promo " + code);
        send(customer, "/buy 3").body("text", containsString("costs 12.591000 USDT"));
        assertEquals(1, uses(code));

        pool.preparedQuery("update orders set status = 'EXPIRED' where buyer_id = $1")
                .execute(Tuple.of(customer))
                .await()
                .atMost(Duration.ofSeconds(5));

        assertEquals(0, uses(code));
    }

    @Test
    void haveACodeRepricesTheOpenConfirmationAndCancelsTheOldOne() {
        String code = newCode("\"percentOff\":20", "");
        long customer = customerWith("20");
        String oldPay = press(customer, "en", "to:6:" + customer)
                .body("reply_markup.inline_keyboard[3][0].callback_data", startsWith("pr:"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");
        String haveACode = oldPay.replaceFirst("^pw:6:\\d+:", "pr:");
        press(customer, "en", haveACode).body("text", containsString("/promo CODE"));

        String newPay = send(customer, "/promo " + code)
                .body("text", containsString("15.192000 USDT with code " + code + " (instead of 18.990000 USDT)"))
                .body("text", containsString("or 1200 Stars (instead of 1500)"))
                .extract()
                .path("reply_markup.inline_keyboard[0][0].callback_data");

        press(customer, "en", oldPay).body("text", containsString("cancelled"));
        press(customer, "en", newPay).body("text", containsString("15.192000 USDT taken from your wallet"));
        assertEquals(1, uses(code));
    }

    @Test
    void anUnknownScheduledOrUsedUpCodeIsRefusedWithItsReason() {
        long customer = customerWith("1");
        send(customer, "/promo NOSUCHCODE").body("text", containsString("I don't know the code NOSUCHCODE"));
        String later = newCode("\"percentOff\":10", ",\"validFrom\":\"2999-01-01T00:00:00Z\"");
        send(customer, "/promo " + later).body("text", containsString("can be used from 2999-01-01 00:00 UTC"));
        String full = newCode("\"percentOff\":10", ",\"maxUses\":1");
        long first = customerWith("20");
        send(first, "/promo " + full);
        send(first, "/buy 3").body("text", containsString("is paid"));
        send(customer, "/promo " + full).body("text", is("Code " + full + " has been used up."));
    }
}
