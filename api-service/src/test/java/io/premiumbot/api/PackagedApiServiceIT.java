package io.premiumbot.api;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged jar (the artifact the images ship), started as its own process: the webhook, a wallet purchase, the
 * operator API, health and metrics. With {@code -Daot-cache} the build then records the jar's AOT cache from a
 * scripted run of the same paths ({@code deploy/aot-record.sh}, the {@code aot-cache} profile in the root pom).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(FakeTelegram.class)
class PackagedApiServiceIT {

    /**
     * No worker runs beside the packaged api-service: store a Star balance as its first read would, so a purchase is
     * covered (the api-service sells nothing on a balance never read, and the unit tests before this one leave the
     * shared test database's treasury as their last test set it).
     */
    @BeforeEach
    void theWorkerHasReadPlentyOfStars() throws SQLException {
        String url = System.getenv().getOrDefault("TEST_API_DB_URL", "postgresql://127.0.0.1:5432/premium_api_test");
        try (var db = DriverManager.getConnection("jdbc:" + url, "premium", "premium");
                var stock = db.prepareStatement(
                        "update star_treasury set balance = 1000000000000, balance_at = now(), sold_out_since = null")) {
            stock.executeUpdate();
        }
    }

    @Test
    void aBuyerFundedByTheOperatorBuysFromTheWalletThroughTheWebhook() {
        long buyer = newUserId();
        send(buyer, "/start").statusCode(200).body("text", containsString("Welcome"));
        credit(buyer, "20").statusCode(201);
        send(buyer, "/buy 3").statusCode(200).body("text", containsString("is paid"));
        send(buyer, "/balance").statusCode(200).body("text", containsString("6.010000"));

        operator()
                .get("/admin/orders?user=" + buyer)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].status", is("PAID"))
                .body("items[0].payMethod", is("WALLET"));
        operator()
                .get("/admin/users/" + buyer + "/ledger")
                .then()
                .statusCode(200)
                .body("items", hasSize(2));
    }

    @Test
    void anUnknownCommandGetsHelpAndAWrongSecretGets401() {
        long user = newUserId();
        send(user, "/frobnicate").statusCode(200).body("text", containsString("/help"));
        given().contentType("application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", "wrong")
                .body(textUpdate(nextUpdateId(), user, "u" + user, "en", "/start"))
                .post("/telegram/webhook")
                .then()
                .statusCode(401);
    }

    @Test
    void readinessMetricsAndTheOperatorApiDocumentAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/admin/orders/{id}"));
    }
}
