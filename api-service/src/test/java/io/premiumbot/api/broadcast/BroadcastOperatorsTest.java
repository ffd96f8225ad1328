package io.premiumbot.api.broadcast;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The operator writes, previews, starts and cancels a broadcast; customers opt out with /stop and back in with /news. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class BroadcastOperatorsTest {

    private static final long OPERATOR_CHAT = 777000777L;

    @Inject
    Pool pool;

    private static long draft(String audience) {
        return ((Number) operator()
                        .contentType(ContentType.JSON)
                        .body("{\"texts\":{\"en\":\"Sale today!\",\"zh\":\"今天促销！\"},\"audience\":\"" + audience + "\"}")
                        .post("/admin/broadcasts")
                        .then()
                        .statusCode(201)
                        .body("status", is("DRAFT"))
                        .extract()
                        .path("id"))
                .longValue();
    }

    private List<Long> recipients(long broadcastId) {
        return pool
                .preparedQuery("select chat_id from broadcast_messages where broadcast_id = $1 order by chat_id")
                .execute(Tuple.of(broadcastId))
                .await()
                .atMost(Duration.ofSeconds(5))
                .stream()
                .map(row -> row.getLong(0))
                .toList();
    }

    private void previewAndStart(long id) {
        operator()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/admin/broadcasts/" + id + "/preview")
                .then()
                .statusCode(200)
                .body("previewedAt", notNullValue());
        operator()
                .post("/admin/broadcasts/" + id + "/start")
                .then()
                .statusCode(200)
                .body("status", is("SENDING"));
    }

    @Test
    void aBroadcastNeedsATextInEveryLanguageTheBotSpeaks() {
        operator()
                .contentType(ContentType.JSON)
                .body("{\"texts\":{\"en\":\"Only English\"},\"audience\":\"ALL\"}")
                .post("/admin/broadcasts")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("texts.zh"));
    }

    @Test
    void aDraftIsNotSentBeforeTheOperatorPreviewedIt() {
        long id = draft("ALL");
        operator().post("/admin/broadcasts/" + id + "/start").then().statusCode(409);
        assertEquals(List.of(), recipients(id));
    }

    @Test
    void thePreviewSendsEveryLanguagesTextToTheOperatorsOwnChat() {
        long id = draft("ALL");
        int before = FakeTelegram.api().calls("sendMessage").size();

        operator()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/admin/broadcasts/" + id + "/preview")
                .then()
                .statusCode(200);

        List<String> previews = FakeTelegram.api().calls("sendMessage").stream()
                .skip(before)
                .filter(call -> call.longParam("chat_id") == OPERATOR_CHAT)
                .map(call -> call.params().get("text"))
                .toList();
        assertEquals(List.of("Sale today!", "今天促销！"), previews);
    }

    @Test
    void theStartWritesOneMessageForEachCustomerWhoNeitherBlockedTheBotNorOptedOut() {
        long reachable = newUserId();
        long blocked = newUserId();
        long optedOut = newUserId();
        send(reachable, "/start");
        send(blocked, "/start");
        send(optedOut, "/start");
        send(optedOut, "/stop").body("text", containsString("/news"));
        pool.preparedQuery("update users set bot_blocked_at = now() where telegram_id = $1")
                .execute(Tuple.of(blocked))
                .await()
                .atMost(Duration.ofSeconds(5));
        long id = draft("ALL");

        previewAndStart(id);

        List<Long> recipients = recipients(id);
        assertTrue(recipients.contains(reachable));
        assertFalse(recipients.contains(blocked), "blocked the bot");
        assertFalse(recipients.contains(optedOut), "sent /stop");
        operator()
                .get("/admin/broadcasts/" + id)
                .then()
                .body("recipients", is(recipients.size()))
                .body("progress.left", is(recipients.size()));
    }

    @Test
    void newsOptsBackInAfterStop() {
        long customer = newUserId();
        send(customer, "/stop");
        send(customer, "/news").body("text", containsString("/stop"));
        long id = draft("ALL");

        previewAndStart(id);

        assertTrue(recipients(id).contains(customer));
    }

    @Test
    void buyersAreTheCustomersWithADeliveredOrder() {
        long buyer = newUserId();
        long browser = newUserId();
        paidOrderIn(pool, buyer, "DELIVERED");
        send(browser, "/start");
        long id = draft("BUYERS");

        previewAndStart(id);

        List<Long> recipients = recipients(id);
        assertTrue(recipients.contains(buyer));
        assertFalse(recipients.contains(browser));
    }

    @Test
    void cancellingARunningBroadcastCancelsWhatIsNotSentAndIsAudited() {
        send(newUserId(), "/start");
        long id = draft("ALL");
        previewAndStart(id);

        operatorNamed(ADAM_TOKEN)
                .post("/admin/broadcasts/" + id + "/cancel")
                .then()
                .statusCode(200)
                .body("status", is("CANCELLED"))
                .body("progress.left", is(0))
                .body("progress.cancelled", greaterThan(0));
        operatorNamed(ADAM_TOKEN)
                .post("/admin/broadcasts/" + id + "/cancel")
                .then()
                .statusCode(409);
        operator()
                .get("/admin/audit?target=broadcast:" + id)
                .then()
                .body(
                        "items.action",
                        hasItems("broadcast.create", "broadcast.preview", "broadcast.start", "broadcast.cancel"));
    }

    @Test
    void theConsoleShowsADraftWithItsAudienceAndThenItsProgress() {
        send(newUserId(), "/start");
        long id = draft("ALL");
        String session = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("token", VERA_TOKEN)
                .post("/console/login")
                .getCookie("console_session");

        String draftPage = given().cookie("console_session", session)
                .get("/console/broadcasts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(draftPage.contains("今天促销！") && draftPage.contains("id=\"audience-count\""), draftPage);

        previewAndStart(id);
        String sendingPage = given().cookie("console_session", session)
                .get("/console/broadcasts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(sendingPage.contains("id=\"progress-left\""), sendingPage);
        assertTrue(sendingPage.contains("location.replace"), "refreshes itself while sending");
    }

    @Test
    void onlyAdminsWriteBroadcasts() {
        operatorNamed(ALICE_TOKEN)
                .contentType(ContentType.JSON)
                .body("{\"texts\":{\"en\":\"a\",\"zh\":\"b\"},\"audience\":\"ALL\"}")
                .post("/admin/broadcasts")
                .then()
                .statusCode(403);
        operatorNamed(VERA_TOKEN).get("/admin/broadcasts").then().statusCode(200);
    }
}
