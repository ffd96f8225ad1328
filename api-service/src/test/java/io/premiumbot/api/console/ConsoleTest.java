package io.premiumbot.api.console;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.api.support.StockedTreasury;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** The web console over plain HTTP: sign-in cookie, CSRF on every write, roles, and the same services as the API. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class ConsoleTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    static String signIn(String token) {
        Response response = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("token", token)
                .post("/console/login");
        assertEquals(303, response.statusCode());
        return response.getCookie("console_session");
    }

    private static String csrfOf(String session, String path) {
        String html = given().cookie("console_session", session)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher matcher = CSRF.matcher(html);
        assertTrue(matcher.find(), "the page carries a CSRF token");
        return matcher.group(1);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictSessionCookie() {
        Response response = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("token", ALICE_TOKEN)
                .post("/console/login");
        assertEquals(303, response.statusCode());
        String setCookie = response.getHeaders().getValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("console_session="))
                .findFirst()
                .orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        assertTrue(setCookie.contains("Path=/console"), setCookie);
        assertFalse(setCookie.contains(ALICE_TOKEN), "the cookie is a session, not the token");
    }

    @Test
    void aWrongTokenOrTheScriptTokenDoesNotSignIn() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("token", "guess")
                .post("/console/login")
                .then()
                .statusCode(401)
                .body(containsString("id=\"refused\""));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("token", ADMIN_TOKEN)
                .post("/console/login")
                .then()
                .statusCode(401);
    }

    @Test
    void withoutASessionEveryPageSendsToTheSignIn() {
        given().redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/login"));
        given().redirects()
                .follow(false)
                .cookie("console_session", "forged")
                .get("/console/orders")
                .then()
                .statusCode(303);
        given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", "x")
                .post("/console/orders/NXSUCH22/refund")
                .then()
                .statusCode(303);
    }

    @Test
    void theAttentionPageListsAnUnclearDelivery() {
        String orderId = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");
        String session = signIn(VERA_TOKEN);
        given().cookie("console_session", session)
                .get("/console")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("/console/orders/" + orderId));
    }

    @Test
    void anOperatorResolvesAnOrderAndTheAuditNamesThem() {
        String orderId = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");
        String session = signIn(ALICE_TOKEN);
        String csrf = csrfOf(session, "/console/orders/" + orderId);
        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .formParam("resolution", "DELIVERED")
                .post("/console/orders/" + orderId + "/resolve")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console/orders/" + orderId));
        operator().get("/admin/orders/" + orderId).then().body("status", is("DELIVERED"));
        operator()
                .get("/admin/audit?target=order:" + orderId)
                .then()
                .body("items[0].operator", is("alice"))
                .body("items[0].action", is("order.resolve"));
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenChangesNothing() {
        String orderId = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");
        String session = signIn(ALICE_TOKEN);
        given().cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("resolution", "DELIVERED")
                .post("/console/orders/" + orderId + "/resolve")
                .then()
                .statusCode(403);
        given().cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrfOf(signIn(ADAM_TOKEN), "/console"))
                .formParam("resolution", "DELIVERED")
                .post("/console/orders/" + orderId + "/resolve")
                .then()
                .statusCode(403);
        operator().get("/admin/orders/" + orderId).then().body("status", is("DELIVERY_UNKNOWN"));
        operator().get("/admin/audit?target=order:" + orderId).then().body("items", empty());
    }

    @Test
    void aViewerCannotWriteEvenWithAValidForm() {
        long userId = newUserId();
        send(userId, "/start");
        String session = signIn(VERA_TOKEN);
        String csrf = csrfOf(session, "/console/users/" + userId);
        given().cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .formParam("amount", "5")
                .formParam("reason", "x")
                .formParam("key", "k")
                .post("/console/users/" + userId + "/adjust")
                .then()
                .statusCode(403);
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
    }

    @Test
    void anAdminAdjustsAWalletOnceEvenWhenTheFormIsSentTwice() {
        long userId = newUserId();
        send(userId, "/start");
        String session = signIn(ADAM_TOKEN);
        String csrf = csrfOf(session, "/console/users/" + userId);
        for (int i = 0; i < 2; i++) {
            given().redirects()
                    .follow(false)
                    .cookie("console_session", session)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", csrf)
                    .formParam("amount", "2.500000")
                    .formParam("reason", "goodwill")
                    .formParam("key", "form-1")
                    .post("/console/users/" + userId + "/adjust")
                    .then()
                    .statusCode(303);
        }
        operator().get("/admin/users/" + userId).then().body("balance", is("2.500000"));
        operator()
                .get("/admin/audit?target=user:" + userId)
                .then()
                .body("items", hasSize(1))
                .body("items[0].operator", is("adam"));
    }

    @Test
    void aRefusedActionSaysWhyOnAPage() {
        String orderId = paidOrderIn(pool, newUserId(), "DELIVERED");
        String session = signIn(ALICE_TOKEN);
        String csrf = csrfOf(session, "/console/orders/" + orderId);
        given().cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .post("/console/orders/" + orderId + "/refund")
                .then()
                .statusCode(409)
                .contentType(containsString("text/html"))
                .body(containsString("id=\"problem\""));
    }

    @Test
    void anOrderWhoseStarsRefundIsUnderwayShowsWhyItCannotBeRetried() {
        String orderId = starsOrderAwaitingRefund(pool, newUserId(), 2);
        String session = signIn(ALICE_TOKEN);
        given().cookie("console_session", session)
                .get("/console/orders/" + orderId)
                .then()
                .statusCode(200)
                .body(containsString("id=\"retry-unavailable\""))
                .body(containsString("Stars refund under way"))
                .body(not(containsString("id=\"retry\"")));
    }

    @Test
    void signingOutEndsTheSession() {
        String session = signIn(ALICE_TOKEN);
        String csrf = csrfOf(session, "/console");
        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .post("/console/logout")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/console/login"));
        given().redirects()
                .follow(false)
                .cookie("console_session", session)
                .get("/console")
                .then()
                .statusCode(303);
    }

    @Test
    void theConsoleSpeaksChineseWhenAsked() {
        String session = signIn(VERA_TOKEN);
        given().cookie("console_session", session)
                .header("Accept-Language", "zh-CN,zh;q=0.9")
                .get("/console")
                .then()
                .statusCode(200)
                .body(containsString("待处理"));
        given().cookie("console_session", session)
                .cookie("console_lang", "en")
                .header("Accept-Language", "zh-CN")
                .get("/console")
                .then()
                .body(containsString("Needs attention"));
    }

    @Test
    void theStarsPageShowsBalanceReservedAvailableAndRunwayFromTheDatabase() {
        StockedTreasury.leave(pool, 1234);
        try {
            String session = signIn(VERA_TOKEN);
            given().cookie("console_session", session)
                    .get("/console/stars")
                    .then()
                    .statusCode(200)
                    .body(containsString("Star treasury"))
                    .body(containsString("id=\"treasury-available\">1234<"))
                    .body(containsString("id=\"treasury-reserved\">"))
                    .body(containsString("id=\"treasury-runway\">"))
                    .body(containsString("Sold out"));
        } finally {
            StockedTreasury.plenty(pool);
        }
    }

    @Test
    void everyPageRenders() {
        String session = signIn(VERA_TOKEN);
        for (String path : new String[] {
            "/console",
            "/console/orders?status=PAID",
            "/console/users?q=1",
            "/console/prices",
            "/console/payments",
            "/console/jobs",
            "/console/audit",
            "/console/stars",
            "/console/broadcasts",
            "/console/sales"
        }) {
            given().cookie("console_session", session)
                    .get(path)
                    .then()
                    .statusCode(200)
                    .contentType(containsString("text/html"));
        }
    }
}
