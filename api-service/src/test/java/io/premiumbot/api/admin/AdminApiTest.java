package io.premiumbot.api.admin;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
class AdminApiTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/admin/orders",
                "/admin/orders/ABCDEFGH",
                "/admin/users/1",
                "/admin/users/1/ledger",
                "/admin/prices"
            })
    void everyOperatorEndpointWantsTheBearerToken(String path) {
        given().when()
                .get(path)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().auth().oauth2("not-the-token").when().get(path).then().statusCode(401);
        given().header("Authorization", "Basic " + ADMIN_TOKEN)
                .when()
                .get(path)
                .then()
                .statusCode(401);
    }

    @Test
    void writesWithoutTheTokenChangeNothing() {
        long userId = newUserId();
        send(userId, "/start");
        given().contentType(ContentType.JSON)
                .body("{\"amount\":\"5\",\"reason\":\"x\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .body("{\"price\":\"1\"}")
                .when()
                .put("/admin/prices/3")
                .then()
                .statusCode(401);
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
    }

    @Test
    void anAdjustmentReplayedWithTheSameKeyCreditsOnce() {
        long userId = newUserId();
        send(userId, "/start");
        for (int i = 0; i < 3; i++) {
            operator()
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", "grant-" + userId)
                    .body("{\"amount\":\"12.500000\",\"reason\":\"goodwill\"}")
                    .when()
                    .post("/admin/users/" + userId + "/adjustments")
                    .then()
                    .statusCode(i == 0 ? 201 : 200)
                    .body("replayed", is(i > 0))
                    .body("entry.amount", is("12.500000"))
                    .body("entry.reason", is("ADJUSTMENT"));
        }
        operator().get("/admin/users/" + userId).then().body("balance", is("12.500000"));
        operator()
                .get("/admin/users/" + userId + "/ledger")
                .then()
                .body("items", hasSize(1))
                .body("items[0].reference", is("goodwill"));
    }

    @Test
    void anIdempotencyKeyReplayedWithAnotherAmountIsRefusedAndChangesNothing() {
        long userId = newUserId();
        send(userId, "/start");
        operator()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "grant-" + userId)
                .body("{\"amount\":\"12.500000\",\"reason\":\"goodwill\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(201);

        operator()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "grant-" + userId)
                .body("{\"amount\":\"125.000000\",\"reason\":\"goodwill\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("status", is(422));
        operator()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "grant-" + userId)
                .body("{\"amount\":\"12.500000\",\"reason\":\"another reason\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(422);

        operator().get("/admin/users/" + userId).then().body("balance", is("12.500000"));
        operator().get("/admin/users/" + userId + "/ledger").then().body("items", hasSize(1));
    }

    @Test
    void anAdjustmentOverTheConfiguredLimitIsRefusedEitherWay() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "10000").statusCode(201);
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"10000.000001\",\"reason\":\"typo\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("10000.000000"));
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"-10000.000001\",\"reason\":\"typo\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(422);
        operator().get("/admin/users/" + userId).then().body("balance", is("10000.000000"));
    }

    @Test
    void aDebitBeyondTheBalanceIsRefused() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "5").statusCode(201);
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"-5.000001\",\"reason\":\"correction\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", is(409));
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"-5\",\"reason\":\"correction\"}")
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(201)
                .body("entry.balanceAfter", is("0.000000"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"amount\":\"1.0000001\",\"reason\":\"r\"}",
                "{\"amount\":\"abc\",\"reason\":\"r\"}",
                "{\"amount\":\"1e3\",\"reason\":\"r\"}",
                "{\"amount\":\"0\",\"reason\":\"r\"}",
                "{\"reason\":\"r\"}",
                "{\"amount\":\"5\"}",
                "{\"amount\":\"5\",\"reason\":\"  \"}",
                "not json",
                ""
            })
    void badAdjustmentsGetAProblemAndChangeNothing(String body) {
        long userId = newUserId();
        send(userId, "/start");
        operator()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/admin/users/" + userId + "/adjustments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("detail", notNullValue());
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
    }

    @Test
    void unknownUsersAndOrdersAre404Problems() {
        operator().get("/admin/users/42").then().statusCode(404).contentType("application/problem+json");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"amount\":\"5\",\"reason\":\"x\"}")
                .post("/admin/users/42/adjustments")
                .then()
                .statusCode(404);
        operator().get("/admin/orders/ZZZZZZZZ").then().statusCode(404).contentType("application/problem+json");
        operator().get("/admin/orders/not-an-id").then().statusCode(400).contentType("application/problem+json");
        operator().get("/admin/users/abc").then().statusCode(404);
    }

    @Test
    void orderSearchFiltersByStatusAndUserAndRejectsNonsense() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "14");
        send(userId, "/buy 3");
        send(userId, "/buy 3");
        operator()
                .get("/admin/orders?user=" + userId + "&status=PAID")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        operator()
                .get("/admin/orders?user=" + userId + "&status=pending_payment")
                .then()
                .body("items", hasSize(1));
        operator()
                .get("/admin/orders?user=" + userId + "&from=2000-01-01T00:00:00Z")
                .then()
                .body("items", hasSize(2));
        operator().get("/admin/orders?status=SHIPPED").then().statusCode(400).contentType("application/problem+json");
        operator().get("/admin/orders?from=yesterday").then().statusCode(400);
        operator().get("/admin/orders?limit=0").then().statusCode(400);
        String orderId = operator()
                .get("/admin/orders?user=" + userId + "&status=PAID")
                .then()
                .extract()
                .path("items[0].id");
        operator()
                .get("/admin/orders/" + orderId)
                .then()
                .statusCode(200)
                .body("id", is(orderId))
                .body("status", is("PAID"))
                .body("price", is("13.990000"))
                .body("attempts", empty())
                .body("ledgerEntries", hasSize(1))
                .body("ledgerEntries[0].amount", is("-13.990000"));
    }

    @Test
    void aUsersOrdersAsBuyerAndAsRecipientComeNewestFirstEachOnce() {
        long user = newUserId();
        long friend = newUserId();
        pool.preparedQuery("insert into users (telegram_id) values ($1), ($2)")
                .execute(Tuple.of(user, friend))
                .await()
                .atMost(Duration.ofSeconds(10));
        String prefix = "S" + Long.toString(user % 1_000_000_000L, 36).toUpperCase();
        // oldest to newest: a gift to the friend, one for themself (buyer and recipient), one from the friend, two more
        // gifts
        Object[][] orders = {
            {"A", user, friend, 5},
            {"B", user, user, 4},
            {"C", friend, user, 3},
            {"D", user, friend, 2},
            {"E", user, friend, 1}
        };
        for (Object[] order : orders) {
            pool.preparedQuery("""
                    insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status, created_at)
                    values ($1, $2, $3, 3, 1000, 13990000, 'WALLET', 'EXPIRED', now() - make_interval(mins => $4))""")
                    .execute(Tuple.of(prefix + order[0], order[1], order[2], order[3]))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
        operator()
                .get("/admin/orders?user=" + user)
                .then()
                .statusCode(200)
                .body("items.id", contains(prefix + "E", prefix + "D", prefix + "C", prefix + "B", prefix + "A"));
        operator()
                .get("/admin/orders?user=" + user + "&limit=3")
                .then()
                .body("items.id", contains(prefix + "E", prefix + "D", prefix + "C"));
        operator()
                .get("/admin/orders?user=" + friend + "&limit=2")
                .then()
                .body("items.id", contains(prefix + "E", prefix + "D"));
    }

    @Test
    void pricesAreSetByTheOperatorAndSnapshottedOnOrders() {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "100");
        send(userId, "/buy 12");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"price\":\"40.5\"}")
                .put("/admin/prices/12")
                .then()
                .statusCode(200)
                .body("months", is(12))
                .body("price", is("40.500000"))
                .body("stars", is(2500));
        try {
            send(userId, "/buy 12");
            operator()
                    .get("/admin/orders?user=" + userId)
                    .then()
                    .body("items.price", containsInAnyOrder("31.990000", "40.500000"));
            operator().get("/admin/prices").then().body("items.find { it.months == 12 }.price", is("40.500000"));
        } finally {
            operator()
                    .contentType(ContentType.JSON)
                    .body("{\"price\":\"31.99\"}")
                    .put("/admin/prices/12")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void badPricesAreRefused() {
        operator()
                .contentType(ContentType.JSON)
                .body("{\"price\":\"9.99\"}")
                .put("/admin/prices/4")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"price\":\"0\"}")
                .put("/admin/prices/3")
                .then()
                .statusCode(400);
        operator()
                .contentType(ContentType.JSON)
                .body("{\"price\":\"-1\"}")
                .put("/admin/prices/3")
                .then()
                .statusCode(400);
        operator()
                .contentType(ContentType.JSON)
                .body("{}")
                .put("/admin/prices/3")
                .then()
                .statusCode(400);
        operator().get("/admin/prices").then().body("items.find { it.months == 3 }.price", is("13.990000"));
    }
}
