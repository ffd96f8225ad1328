package io.premiumbot.api;

import static io.restassured.RestAssured.given;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Drives the service as Telegram and the operator do: over HTTP, with independent data per test. */
public final class Fixtures {

    public static final String WEBHOOK_SECRET = "test-webhook-secret";
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** Named operators of the test profile (application.properties holds only their SHA-256). */
    public static final String ALICE_TOKEN = "alice-operator-token";
    public static final String VERA_TOKEN = "vera-viewer-token";
    public static final String ADAM_TOKEN = "adam-admin-token";
    private static final AtomicLong UPDATE_IDS = new AtomicLong(System.nanoTime() / 1000);

    private Fixtures() {
    }

    /** A Telegram user id no other test uses; above 2^31 so JSON paths always read it as a long. */
    public static long newUserId() {
        return ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
    }

    public static long nextUpdateId() {
        return UPDATE_IDS.incrementAndGet();
    }

    public static String textUpdate(long updateId, long userId, String username, String language, String text) {
        return """
                {"update_id":%d,"message":{"message_id":%d,"from":{"id":%d,"is_bot":false,"first_name":"Tester",%s"language_code":"%s"},
                 "chat":{"id":%d,"type":"private"},"date":1700000000,"text":"%s"}}"""
                .formatted(updateId, updateId % 100000, userId, username == null ? "" : "\"username\":\"" + username + "\",",
                        language, userId, text);
    }

    public static String callbackUpdate(long updateId, long userId, String language, String data) {
        return """
                {"update_id":%d,"callback_query":{"id":"cb%d","from":{"id":%d,"is_bot":false,"first_name":"Tester","language_code":"%s"},
                 "message":{"message_id":1,"chat":{"id":%d,"type":"private"},"date":1700000000,"text":"menu"},
                 "chat_instance":"-1","data":"%s"}}"""
                .formatted(updateId, updateId, userId, language, userId, data);
    }

    public static ValidatableResponse press(long userId, String language, String data) {
        return sendUpdate(callbackUpdate(nextUpdateId(), userId, language, data));
    }

    public static String usersSharedUpdate(long updateId, long userId, int requestId, long picked, String pickedUsername) {
        return """
                {"update_id":%d,"message":{"message_id":2,"from":{"id":%d,"is_bot":false,"first_name":"Tester","language_code":"en"},
                 "chat":{"id":%d,"type":"private"},"date":1700000000,
                 "users_shared":{"request_id":%d,"users":[{"user_id":%d,"username":"%s"}]}}}"""
                .formatted(updateId, userId, userId, requestId, picked, pickedUsername);
    }

    public static String preCheckoutUpdate(long updateId, long userId, long stars, String payload) {
        return """
                {"update_id":%d,"pre_checkout_query":{"id":"pcq%d","from":{"id":%d,"is_bot":false,"first_name":"Tester","language_code":"en"},
                 "currency":"XTR","total_amount":%d,"invoice_payload":"%s"}}"""
                .formatted(updateId, updateId, userId, stars, payload);
    }

    public static String successfulPaymentUpdate(long updateId, long userId, long stars, String payload, String chargeId) {
        return """
                {"update_id":%d,"message":{"message_id":3,"from":{"id":%d,"is_bot":false,"first_name":"Tester","language_code":"en"},
                 "chat":{"id":%d,"type":"private"},"date":1700000000,
                 "successful_payment":{"currency":"XTR","total_amount":%d,"invoice_payload":"%s","telegram_payment_charge_id":"%s",
                 "provider_payment_charge_id":""}}}"""
                .formatted(updateId, userId, userId, stars, payload, chargeId);
    }

    public static ValidatableResponse send(long userId, String text) {
        return sendUpdate(textUpdate(nextUpdateId(), userId, "u" + userId, "en", text));
    }

    public static ValidatableResponse sendUpdate(String body) {
        return given().contentType(ContentType.JSON).header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET).body(body)
                .when().post("/telegram/webhook").then();
    }

    public static ValidatableResponse credit(long userId, String amount) {
        return given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON)
                .body("{\"amount\":\"" + amount + "\",\"reason\":\"test funding\"}")
                .when().post("/admin/users/" + userId + "/adjustments").then();
    }

    public static io.restassured.specification.RequestSpecification operator() {
        return given().auth().oauth2(ADMIN_TOKEN);
    }

    public static io.restassured.specification.RequestSpecification operatorNamed(String token) {
        return given().auth().oauth2(token);
    }
}
