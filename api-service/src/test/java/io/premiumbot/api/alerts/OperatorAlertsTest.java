package io.premiumbot.api.alerts;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.support.StockedTreasury;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.testkit.FakeBotApi;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Operators hear in Telegram about what needs them, once per chat, with a link to the console page. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class OperatorAlertsTest {

    private static final String OPERATOR_CHAT = "777000777";

    @Inject
    OperatorAlerts alerts;

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    private String orderIn(String status, Duration age) {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "20").statusCode(201);
        send(userId, "/buy 3").body("text", containsString("is paid"));
        String orderId =
                operator().get("/admin/orders?user=" + userId).then().extract().path("items[0].id");
        pool.preparedQuery("update orders set status = $1, created_at = $2 where id = $3")
                .execute(Tuple.of(status, java.time.OffsetDateTime.now().minus(age), orderId))
                .await()
                .atMost(Duration.ofSeconds(5));
        return orderId;
    }

    /** One alert pass on a Vert.x context, as the scheduler runs it. */
    private int pass() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> alerts.runOnce());
        } catch (Throwable e) {
            throw new AssertionError("the alert pass failed", e);
        }
    }

    private static List<String> alertsMentioning(String text) {
        return FakeTelegram.api().calls("sendMessage").stream()
                .filter(call -> OPERATOR_CHAT.equals(call.params().get("chat_id")))
                .map(call -> call.params().get("text"))
                .filter(message -> message.contains(text))
                .toList();
    }

    @Test
    void aSoldOutSpellIsToldOnceAndASpellAfterATopUpIsToldAgain() {
        pool.query("update star_treasury set sold_out_since = null")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5));
        long buyer = newUserId();
        send(buyer, "/start");
        credit(buyer, "20").statusCode(201);
        try {
            StockedTreasury.leave(pool, 0);
            send(buyer, "/buy 3").body("text", containsString("sold out"));
            send(buyer, "/buy 3").body("text", containsString("sold out"));
            pass();
            pass();
            assertEquals(1, alertsMentioning("Premium is sold out").size());

            StockedTreasury.leave(pool, 1_000_000); // topped up: the spell ends
            pass();
            StockedTreasury.leave(pool, 0);
            send(buyer, "/buy 3").body("text", containsString("sold out"));
            pass();
            List<String> sent = alertsMentioning("Premium is sold out");
            assertEquals(2, sent.size(), sent.toString());
            assertTrue(sent.get(1).contains("http://localhost:8080/console/stars"), sent.get(1));
        } finally {
            StockedTreasury.plenty(pool);
        }
    }

    @Test
    void anUnclearDeliveryIsAlertedOnceWithALinkToTheOrder() {
        String orderId = orderIn("DELIVERY_UNKNOWN", Duration.ZERO);
        pass();
        pass();
        List<String> sent = alertsMentioning(orderId);
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).contains("DELIVERY_UNKNOWN"));
        assertTrue(sent.get(0).contains("http://localhost:8080/console/orders/" + orderId), sent.get(0));
    }

    @Test
    void aFailedOrderIsAlerted() {
        String orderId = orderIn("FAILED", Duration.ZERO);
        pass();
        assertEquals(1, alertsMentioning("Order " + orderId + " FAILED").size());
    }

    @Test
    void aPaymentNobodyMatchedIsAlerted() {
        String hash = "alert" + System.nanoTime();
        pool.preparedQuery("""
                insert into payments (provider, external_id, currency, amount_micros, from_address, status, occurred_at)
                values ('TRC20', $1, 'USDT', 3141592, 'TFromSomebody', 'UNMATCHED', now())""").execute(Tuple.of(hash)).await().atMost(Duration.ofSeconds(5));
        pass();
        List<String> sent = alertsMentioning("3.141592 USDT");
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).contains("/console/payments"));
    }

    @Test
    void pausedDeliveriesAreAlertedWhenTheBotsStarsDoNotCoverAGift() {
        redis.key(String.class)
                .del(QueueKeys.HASH_TAG + ":alerts:sent:stars-paused:"
                        + Instant.now().getEpochSecond() / 3600 + ":" + OPERATOR_CHAT);
        FakeBotApi telegram = FakeTelegram.api();
        telegram.starBalance(400);
        try {
            orderIn("PAID", Duration.ofMinutes(5));
            pass();
            List<String> sent = alertsMentioning("paused");
            assertEquals(1, sent.size(), sent.toString());
            assertTrue(sent.get(0).contains("400 Stars"), sent.get(0));
        } finally {
            telegram.starBalance(1_000_000);
        }
    }

    @Test
    void anAlertTelegramRefusedIsSentAgainOnTheNextPassAndThenNoMore() {
        // what other tests left waiting goes out first
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pass() == 0);
        String orderId = orderIn("DELIVERY_UNKNOWN", Duration.ZERO);
        FakeTelegram.api().failNext("sendMessage", 500, "Internal Server Error");
        pass();
        assertEquals(1, alertsMentioning(orderId).size(), "the refused attempt");
        pass();
        assertEquals(2, alertsMentioning(orderId).size(), "sent again");
        pass();
        assertEquals(2, alertsMentioning(orderId).size(), "and then no more");
    }
}
