package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Stars money is never dropped: recorded whatever the pace or failure, and refunded in Stars, by the worker. */
@QuarkusTest
class StarsPaymentsTest {

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private Row row(String sql, Object... args) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private void sql(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(5));
    }

    /** A 3-month order for the buyer awaiting 1000 Stars, made through the buttons. */
    private String starsOrder(long buyer) {
        String pay =
                press(buyer, "en", "to:3:" + buyer).extract().path("reply_markup.inline_keyboard[2][0].callback_data");
        press(buyer, "en", pay).body("method", is("sendInvoice"));
        return operator().get("/admin/orders?user=" + buyer).then().extract().path("items[0].id");
    }

    @Test
    void aPaymentIsRecordedEvenFromASenderOverTheFloodLimit() {
        long buyer = newUserId();
        String orderId = starsOrder(buyer);
        // this window and the next ones are far over the limit, whenever the 10-second window turns
        long window = System.currentTimeMillis() / 10_000;
        for (long w = window; w < window + 3; w++) {
            redis.value(String.class).setex("flood:" + buyer + ":" + w, 60, "1000");
        }
        send(buyer, "/balance").statusCode(200).body(emptyOrNullString());

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId, "fast-" + orderId))
                .statusCode(200)
                .body("text", containsString("is paid with 1000 Stars"));

        operator().get("/admin/orders/" + orderId).then().body("status", is("PAID"));
        assertNotNull(row("select id from payments where provider = 'STARS' and external_id = $1", "fast-" + orderId));
    }

    @Test
    void aPaymentThatCouldNotBeRecordedFailsTheWebhookSoTelegramDeliversItAgain() {
        long buyer = newUserId();
        String orderId = starsOrder(buyer);
        String charge = "blip-" + orderId;
        String trigger = "fail_" + orderId.toLowerCase();
        sql("create function " + trigger
                + "() returns trigger language plpgsql as $$ begin raise exception 'injected outage'; end $$");
        sql("create trigger " + trigger + " before insert on payments for each row when (new.external_id = '" + charge
                + "') execute function " + trigger + "()");
        String update = successfulPaymentUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId, charge);
        try {
            sendUpdate(update).statusCode(greaterThanOrEqualTo(500));
            operator().get("/admin/orders/" + orderId).then().body("status", is("PENDING_PAYMENT"));
        } finally {
            sql("drop trigger " + trigger + " on payments");
            sql("drop function " + trigger + "()");
        }

        sendUpdate(update).statusCode(200).body("text", containsString("is paid with 1000 Stars"));
        // Telegram re-sends it (say our answer was lost): recorded once, answered as the first time
        sendUpdate(update).statusCode(200).body("text", containsString("is paid with 1000 Stars"));
        operator().get("/admin/orders/" + orderId).then().body("status", is("PAID"));
        assertEquals(
                1L,
                row("select count(*) from payments where external_id = $1", charge)
                        .getLong(0));
        assertEquals(
                charge,
                row("select star_charge_id from orders where id = $1", orderId).getString(0));
    }

    @Test
    void starsForAnOrderThatCanNoLongerTakeThemAreRecordedAndLeftToTheWorkerToRefund() {
        long buyer = newUserId();
        String orderId = starsOrder(buyer);
        sql("update orders set status = 'EXPIRED' where id = '" + orderId + "'");
        String charge = "late-" + orderId;

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId, charge))
                .statusCode(200)
                .body("method", is("sendMessage"))
                .body("text", containsString("being refunded"));

        Row refund =
                row("select user_id, stars, reason, status, order_id from star_refunds where charge_id = $1", charge);
        assertNotNull(refund, "a Stars refund is requested from the worker");
        assertEquals(buyer, refund.getLong("user_id"));
        assertEquals(1000, refund.getInteger("stars"));
        assertEquals("NOT_PAYABLE", refund.getString("reason"));
        assertEquals("PENDING", refund.getString("status"));
        assertEquals(orderId, refund.getString("order_id"));
        assertNotNull(row("select id from payments where provider = 'STARS' and external_id = $1", charge));
        operator().get("/admin/orders/" + orderId).then().body("status", is("EXPIRED"));
        operator().get("/admin/users/" + buyer).then().body("balance", is("0.000000"));
    }

    @Test
    void starsPaidForSomeoneElsesOrderAreRefundedToThePayer() {
        long owner = newUserId();
        String orderId = starsOrder(owner);
        long stranger = newUserId();
        String charge = "stray-" + orderId;

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), stranger, 1000, "order:" + orderId, charge))
                .statusCode(200)
                .body("text", containsString("being refunded"));

        Row refund = row("select user_id, order_id from star_refunds where charge_id = $1", charge);
        assertEquals(stranger, refund.getLong("user_id"));
        assertNull(refund.getString("order_id"), "the refund is not tied to another customer's order");
        operator().get("/admin/orders/" + orderId).then().body("status", is("PENDING_PAYMENT"));
    }

    @Test
    void anOperatorRefundOfAStarsOrderGoesBackInStarsNeverToTheWallet() {
        long buyer = newUserId();
        String orderId = starsOrder(buyer);
        String charge = "paid-" + orderId;
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, "order:" + orderId, charge))
                .statusCode(200);
        sql("update orders set status = 'FAILED' where id = '" + orderId + "'");

        operator()
                .post("/admin/orders/" + orderId + "/refund")
                .then()
                .statusCode(200)
                .body("status", is("FAILED"))
                .body("ledgerEntries", empty());
        operator().post("/admin/orders/" + orderId + "/refund").then().statusCode(200);

        assertEquals(
                1L,
                row("select count(*) from star_refunds where order_id = $1", orderId)
                        .getLong(0));
        Row refund = row("select charge_id, user_id, reason, status from star_refunds where order_id = $1", orderId);
        assertEquals(charge, refund.getString("charge_id"));
        assertEquals(buyer, refund.getLong("user_id"));
        assertEquals("UNDELIVERABLE", refund.getString("reason"));
        assertEquals("PENDING", refund.getString("status"));
        operator().get("/admin/users/" + buyer).then().body("balance", is("0.000000"));
    }
}
