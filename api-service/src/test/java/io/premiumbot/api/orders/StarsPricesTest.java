package io.premiumbot.api.orders;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * The customer's Stars price per plan, set by the operator: what the invoice charges (a confirmation keeps the one it
 * showed), while the gift's cost stays Telegram's. Each test sets the 6-month Stars price and puts it back.
 */
@QuarkusTest
class StarsPricesTest {

    @Inject
    Pool pool;

    @AfterEach
    void putTheStarsPriceBack() {
        setStars(6, 1500).statusCode(200);
        LedgerInvariant.assertHolds(pool);
    }

    private static io.restassured.response.ValidatableResponse setStars(int months, int stars) {
        return operatorNamed(ADAM_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"stars\":" + stars + "}")
                .put("/admin/prices/" + months)
                .then();
    }

    @Test
    void theStarsPriceSetByTheOperatorIsWhatTheInvoiceCharges() {
        setStars(6, 1800)
                .statusCode(200)
                .body("months", is(6))
                .body("stars", is(1800))
                .body("giftCost", is(1500))
                .body("price", is("18.990000"));
        long customer = newUserId();
        send(customer, "/start");

        String payInStars = press(customer, "en", "to:6:" + customer)
                .body("text", containsString("or 1800 Stars"))
                .body("reply_markup.inline_keyboard[2][0].text", is("Pay 1800 Stars"))
                .extract()
                .path("reply_markup.inline_keyboard[2][0].callback_data");
        String payload = press(customer, "en", payInStars)
                .body("method", is("sendInvoice"))
                .body("prices[0].amount", is(1800))
                .extract()
                .path("payload");
        sendUpdate(preCheckoutUpdate(nextUpdateId(), customer, 1800, payload)).body("ok", is(true));
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), customer, 1800, payload, "charge-" + payload))
                .body("text", containsString("is paid with 1800 Stars"));

        String orderId = payload.substring("order:".length());
        operator()
                .get("/admin/orders/" + orderId)
                .then()
                .body("status", is("PAID"))
                .body("starPrice", is(1800))
                .body("starCount", is(1500));
    }

    @Test
    void aPriceChangeAfterTheConfirmationDoesNotChangeWhatItCharges() {
        setStars(6, 1700).statusCode(200);
        long customer = newUserId();
        send(customer, "/start");
        String payInStars = payInStarsButton(customer, 6);

        setStars(6, 2100).statusCode(200);

        String payload = press(customer, "en", payInStars)
                .body("prices[0].amount", is(1700))
                .extract()
                .path("payload");
        sendUpdate(preCheckoutUpdate(nextUpdateId(), customer, 2100, payload))
                .body("ok", is(false))
                .body("error_message", containsString("doesn't match"));
        sendUpdate(preCheckoutUpdate(nextUpdateId(), customer, 1700, payload)).body("ok", is(true));
        press(customer, "en", "to:6:" + customer).body("text", containsString("or 2100 Stars"));
    }

    @Test
    void aPromoCodeTakesItsShareOffTheOperatorsStarsPriceRoundedUpToWholeStars() {
        setStars(6, 1999).statusCode(200);
        String code = io.premiumbot.api.promo.PromoCodesTest.newCode("\"percentOff\":15", "");
        long customer = newUserId();
        send(customer, "/start");
        send(customer, "/promo " + code);

        // 18.99 less 15% is 16.1415 USDT: 1999 Stars × 16.1415 / 18.99 = 1699.15, rounded up
        String payload = press(customer, "en", payInStarsButton(customer, 6))
                .body("prices[0].amount", is(1700))
                .extract()
                .path("payload");
        operator()
                .get("/admin/orders/" + payload.substring("order:".length()))
                .then()
                .body("starPrice", is(1700))
                .body("discountStars", is(299))
                .body("starCount", is(1500));
    }

    @Test
    void aStarsRefundReturnsExactlyTheStarsPaid() {
        setStars(6, 1650).statusCode(200);
        long customer = newUserId();
        send(customer, "/start");
        String payload =
                press(customer, "en", payInStarsButton(customer, 6)).extract().path("payload");
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), customer, 1650, payload, "charge-" + payload));
        String orderId = payload.substring("order:".length());
        pool.preparedQuery("update orders set status = 'FAILED' where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5));

        operator().post("/admin/orders/" + orderId + "/refund").then().statusCode(200);

        assertEquals(1650, number(pool, "select stars from star_refunds where order_id = $1", orderId));
    }

    @Test
    void aStarsPriceOutOfRangeIsRefusedAndChangesNothing() {
        setStars(6, 0).statusCode(400).contentType("application/problem+json");
        setStars(6, 100_001).statusCode(400);
        operator().get("/admin/prices").then().body("items.find { it.months == 6 }.stars", is(1500));
    }

    @Test
    void onlyAnAdminSetsTheStarsPrice() {
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"stars\":1}")
                .put("/admin/prices/6")
                .then()
                .statusCode(403);
    }
}
