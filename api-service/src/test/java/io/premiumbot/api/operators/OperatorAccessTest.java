package io.premiumbot.api.operators;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** Named operators with roles; the audit log names who authenticated, whatever a header claims. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class OperatorAccessTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        long userId = newUserId();
        send(userId, "/start");
        operatorNamed(VERA_TOKEN)
                .get("/admin/users/" + userId)
                .then()
                .statusCode(200)
                .body("balance", is("0.000000"));
        operatorNamed(VERA_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"5\",\"reason\":\"x\"}")
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("viewer"));
        operatorNamed(VERA_TOKEN).post("/admin/orders/NXSUCH22/refund").then().statusCode(403);
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
    }

    @Test
    void anOperatorActsOnOrdersButCannotSetPricesOrAdjustWallets() {
        operatorNamed(ALICE_TOKEN).post("/admin/orders/NXSUCH22/refund").then().statusCode(404);
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"price\":\"1.000000\"}")
                .put("/admin/prices/3")
                .then()
                .statusCode(403);
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"5\",\"reason\":\"x\"}")
                .post("/admin/users/1/adjustments")
                .then()
                .statusCode(403);
    }

    @Test
    void theAuditLogNamesTheAuthenticatedOperatorNotTheHeader() {
        long userId = newUserId();
        send(userId, "/start");
        operatorNamed(ADAM_TOKEN)
                .contentType(ContentType.JSON)
                .header("X-Operator", "mallory")
                .body("{\"amount\":\"3.000000\",\"reason\":\"goodwill\"}")
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(201);
        operator()
                .get("/admin/audit?target=user:" + userId)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].operator", is("adam"))
                .body("items[0].action", is("wallet.adjust"));
    }

    @Test
    void theScriptTokenStillWorksAndIsAuditedAsApiToken() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "4").statusCode(201);
        operator()
                .get("/admin/audit?target=user:" + userId + "&operator=api-token")
                .then()
                .body("items", hasSize(1));
        operator()
                .get("/admin/audit?target=user:" + userId + "&operator=adam")
                .then()
                .body("items", empty());
    }

    @Test
    void theAuditLogFiltersByTime() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "1").statusCode(201);
        operator()
                .get("/admin/audit?target=user:" + userId + "&to=2000-01-01T00:00:00Z")
                .then()
                .body("items", empty());
        operator()
                .get("/admin/audit?target=user:" + userId + "&from=2000-01-01T00:00:00Z")
                .then()
                .body("items", hasSize(1));
        operator().get("/admin/audit?from=yesterday").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void usersAreFoundByIdOrUsername() {
        long userId = newUserId();
        String username = "finder" + userId;
        sendUpdate(textUpdate(nextUpdateId(), userId, username, "en", "/start")).statusCode(200);
        operatorNamed(VERA_TOKEN)
                .get("/admin/users?q=" + userId)
                .then()
                .statusCode(200)
                .body("items.telegramId", contains(userId));
        operatorNamed(VERA_TOKEN)
                .get("/admin/users?q=@" + username.toUpperCase())
                .then()
                .statusCode(200)
                .body("items.telegramId", contains(userId));
        operatorNamed(VERA_TOKEN).get("/admin/users?q=@nobody_" + userId).then().body("items", empty());
        operatorNamed(VERA_TOKEN).get("/admin/users?q=").then().statusCode(400);
    }

    @Test
    void anOrderStuckInPaidIsRefundedOnceToTheBuyer() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "20").statusCode(201);
        send(userId, "/buy 3").body("text", containsString("is paid"));
        String orderId =
                operator().get("/admin/orders?user=" + userId).then().extract().path("items[0].id");
        operator().get("/admin/orders/" + orderId).then().body("status", is("PAID"));

        operatorNamed(ALICE_TOKEN)
                .post("/admin/orders/" + orderId + "/refund")
                .then()
                .statusCode(200)
                .body("status", is("REFUNDED"))
                .body("ledgerEntries.reason", contains("ORDER_PAYMENT", "REFUND"));
        operatorNamed(ALICE_TOKEN)
                .post("/admin/orders/" + orderId + "/refund")
                .then()
                .statusCode(409);
        operator().get("/admin/users/" + userId).then().body("balance", is("20.000000"));
        operator()
                .get("/admin/audit?target=order:" + orderId)
                .then()
                .body("items[0].operator", is("alice"))
                .body("items[0].details", containsString("from=PAID"));
    }

    @Test
    void theBotsStarsBalanceAndLatestTransactionsComeFromTelegram() throws Exception {
        long recipient = newUserId();
        FakeTelegram.api().starBalance(10_000);
        // a gift the bot made: Telegram lists it as Stars going out
        var gift = java.net.http.HttpRequest.newBuilder(FakeTelegram.api().methodUri("giftPremiumSubscription"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"user_id\":" + recipient + ",\"month_count\":3,\"star_count\":1000}"))
                .build();
        java.net.http.HttpClient.newHttpClient().send(gift, java.net.http.HttpResponse.BodyHandlers.ofString());
        operatorNamed(VERA_TOKEN)
                .get("/admin/stars?limit=5")
                .then()
                .statusCode(200)
                .body("balance", is(9000))
                .body("recent.size()", lessThanOrEqualTo(5))
                .body("recent[0].amount", is(-1000))
                .body("recent[0].kind", is("premium_purchase"))
                .body("recent[0].userId", is(recipient));
    }

    @Test
    void theStarsViewSaysSoWhenTelegramCannotBeAsked() {
        FakeTelegram.api().failNext("getMyStarBalance", 500, "Internal Server Error");
        operator().get("/admin/stars").then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void theOpenApiDocumentDeclaresTheOperatorSecurityScheme() {
        io.restassured.RestAssured.given()
                .accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.operator.scheme", is("bearer"))
                .body("paths", hasKey("/admin/audit"))
                .body("paths", hasKey("/admin/stars"))
                .body("paths", not(hasKey("/console")));
    }
}
