package io.premiumbot.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.premiumbot.testkit.TelegramUpdates;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Drives the service as Telegram and the operator do: over HTTP, with independent data per test. */
public final class Fixtures {

    public static final String WEBHOOK_SECRET = "test-webhook-secret";
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** Named operators of the test profile (application.properties holds only their SHA-256). */
    public static final String ALICE_TOKEN = "alice-operator-token";

    public static final String VERA_TOKEN = "vera-viewer-token";
    public static final String ADAM_TOKEN = "adam-admin-token";

    private Fixtures() {}

    /** A Telegram user id no other test uses; above 2^31 so JSON paths always read it as a long. */
    public static long newUserId() {
        return ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
    }

    public static long nextUpdateId() {
        return TelegramUpdates.nextUpdateId();
    }

    /**
     * As Telegram: the username an update carries is the one Telegram reports for its sender (getChat), so the fake Bot
     * API learns it here; a test renames a user afterwards with {@code FakeTelegram.api().username(...)}.
     */
    public static String textUpdate(long updateId, long userId, String username, String language, String text) {
        telegramKnows(userId, username);
        return TelegramUpdates.from(userId)
                .updateId(updateId)
                .username(username)
                .language(language)
                .text(text);
    }

    public static String callbackUpdate(long updateId, long userId, String language, String data) {
        return TelegramUpdates.from(userId)
                .updateId(updateId)
                .language(language)
                .callback(data);
    }

    public static ValidatableResponse press(long userId, String language, String data) {
        return sendUpdate(callbackUpdate(nextUpdateId(), userId, language, data));
    }

    public static String usersSharedUpdate(
            long updateId, long userId, int requestId, long picked, String pickedUsername) {
        telegramKnows(picked, pickedUsername);
        return TelegramUpdates.from(userId).updateId(updateId).usersShared(requestId, picked, pickedUsername);
    }

    private static void telegramKnows(long userId, String username) {
        if (FakeTelegram.api() != null && username != null) {
            FakeTelegram.api().username(userId, username);
        }
    }

    public static String preCheckoutUpdate(long updateId, long userId, long stars, String payload) {
        return TelegramUpdates.from(userId).updateId(updateId).preCheckout(stars, payload);
    }

    public static String successfulPaymentUpdate(
            long updateId, long userId, long stars, String payload, String chargeId) {
        return TelegramUpdates.from(userId).updateId(updateId).successfulPayment(stars, payload, chargeId);
    }

    public static ValidatableResponse send(long userId, String text) {
        return sendUpdate(textUpdate(nextUpdateId(), userId, "u" + userId, "en", text));
    }

    public static ValidatableResponse sendUpdate(String body) {
        return given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                .body(body)
                .when()
                .post("/telegram/webhook")
                .then();
    }

    public static ValidatableResponse credit(long userId, String amount) {
        return given().auth()
                .oauth2(ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"" + amount + "\",\"reason\":\"test funding\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then();
    }

    /**
     * A user's wallet-paid 3-month order, then set to {@code status} directly in the database (the states an operator
     * acts on, without running a delivery); returns its id.
     */
    public static String paidOrderIn(Pool pool, long userId, String status) {
        send(userId, "/start");
        credit(userId, "20").statusCode(201);
        send(userId, "/buy 3").body("text", containsString("is paid"));
        String orderId =
                operator().get("/admin/orders?user=" + userId).then().extract().path("items[0].id");
        pool.preparedQuery("update orders set status = $1 where id = $2")
                .execute(Tuple.of(status, orderId))
                .await()
                .atMost(Duration.ofSeconds(5));
        return orderId;
    }

    /**
     * A FAILED order paid in Stars whose Stars refund is PENDING after {@code tries} tries (the last a 502), as the
     * worker leaves one Telegram refused to deliver while refundStarPayment keeps failing; returns its id.
     */
    public static String starsOrderAwaitingRefund(Pool pool, long userId, int tries) {
        String orderId = paidOrderIn(pool, userId, "FAILED");
        String charge = "charge-" + orderId;
        pool.preparedQuery("update orders set pay_method = 'STARS', star_charge_id = $1 where id = $2")
                .execute(Tuple.of(charge, orderId))
                .await()
                .atMost(Duration.ofSeconds(5));
        pool.preparedQuery("""
                        insert into star_refunds (charge_id, user_id, order_id, stars, reason, attempts, last_error)
                        values ($1, $2, $3, 1000, 'UNDELIVERABLE', $4, 'refundStarPayment: Telegram unavailable (502 Bad Gateway)')""")
                .execute(Tuple.of(charge, userId, orderId, tries))
                .await()
                .atMost(Duration.ofSeconds(5));
        return orderId;
    }

    /** The "pay in Stars" button's data of a confirmation of {@code months} for oneself (its third row). */
    public static String payInStarsButton(long customer, int months) {
        return press(customer, "en", "to:" + months + ":" + customer)
                .extract()
                .path("reply_markup.inline_keyboard[2][0].callback_data");
    }

    /** The one number {@code sql} selects. */
    public static long number(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
    }

    public static io.restassured.specification.RequestSpecification operator() {
        return given().auth().oauth2(ADMIN_TOKEN);
    }

    public static io.restassured.specification.RequestSpecification operatorNamed(String token) {
        return given().auth().oauth2(token);
    }
}
