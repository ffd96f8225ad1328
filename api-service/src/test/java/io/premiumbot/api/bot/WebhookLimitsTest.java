package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;

/** The webhook reads nothing for a caller without the secret, and nothing oversized for anyone. */
@QuarkusTest
class WebhookLimitsTest {

    @Test
    void aMalformedBodyWithoutTheSecretIsRefusedWith401NotParsed() {
        given().contentType(ContentType.JSON)
                .body("{not json at all")
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", not(containsString("JSON")));
        given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
                .body("{\"update_id\":\"x\"")
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(401);
    }

    /**
     * The client asks before it sends the body ({@code Expect: 100-continue}), as a careful client does: the server
     * refuses on the declared length, and the refusal is read instead of racing the connection's close with the
     * body's last bytes (a broken pipe now and then).
     */
    private static final RestAssuredConfig ASK_BEFORE_SENDING = RestAssured.config()
            .httpClient(HttpClientConfig.httpClientConfig().setParam("http.protocol.expect-continue", true));

    @Test
    void anOversizedBodyIsRefusedWith413() {
        String big = "{\"update_id\":1,\"message\":{\"text\":\"" + "x".repeat(300 * 1024) + "\"}}";
        given().config(ASK_BEFORE_SENDING)
                .contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                .body(big)
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(413);
        given().config(ASK_BEFORE_SENDING)
                .contentType(ContentType.JSON)
                .body(big)
                .when()
                .post("/telegram/webhook")
                .then()
                .statusCode(413);
    }
}
