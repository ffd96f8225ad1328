package io.premiumbot.api.orders;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
class OrderOperationsTest {

    @Inject
    Pool pool;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    /** A wallet-paid order of a fresh user with 20 USDT, then put in {@code status} as the worker would. */
    @Test
    void aRefundAskedTwiceCreditsOnce() {
        long userId = newUserId();
        String orderId = paidOrderIn(pool, userId, "FAILED");
        operator()
                .post("/admin/orders/" + orderId + "/refund")
                .then()
                .statusCode(200)
                .body("status", is("REFUNDED"))
                .body("ledgerEntries.reason", contains("ORDER_PAYMENT", "REFUND"));
        operator()
                .post("/admin/orders/" + orderId + "/refund")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        operator().get("/admin/users/" + userId).then().body("balance", is("20.000000"));
    }

    @Test
    void onlyFailedOrdersCanBeRefundedOrRetried() {
        long userId = newUserId();
        String orderId = paidOrderIn(pool, userId, "DELIVERED");
        operator().post("/admin/orders/" + orderId + "/refund").then().statusCode(409);
        operator().post("/admin/orders/" + orderId + "/retry").then().statusCode(409);
        operator().post("/admin/orders/NXSUCH22/refund").then().statusCode(404);
        operator().get("/admin/users/" + userId).then().body("balance", is("6.010000"));
    }

    @Test
    void aRetriedOrderIsPaidAgainAndBackOnTheQueue() {
        String orderId = paidOrderIn(pool, newUserId(), "FAILED");
        redis.key(String.class).del(QueueKeys.READY);
        operator()
                .post("/admin/orders/" + orderId + "/retry")
                .then()
                .statusCode(200)
                .body("status", is("PAID"));
        assertTrue(redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(DeliveryJob::parse)
                .anyMatch(job -> job.orderId().equals(orderId)));
    }

    @Test
    void aStarsOrderWhoseRefundIsUnderwayIsNotRetriedAndTheAnswerSaysWhy() {
        String orderId = starsOrderAwaitingRefund(pool, newUserId(), 3);
        redis.key(String.class).del(QueueKeys.READY);

        operator()
                .post("/admin/orders/" + orderId + "/retry")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("Stars refund under way"))
                .body("detail", containsString("3 tries"))
                .body("detail", containsString("can't be called back"));

        operator().get("/admin/orders/" + orderId).then().body("status", is("FAILED"));
        assertTrue(redis.list(String.class).lrange(QueueKeys.READY, 0, -1).isEmpty());
    }

    @Test
    void aStarsOrderWhoseRefundIsUnderwayIsNotRequeuedFromTheDeadList() {
        String orderId = starsOrderAwaitingRefund(pool, newUserId(), 1);
        redis.key(String.class).del(QueueKeys.READY);
        String dead = "{\"orderId\":\"" + orderId
                + "\",\"attempt\":8,\"enqueuedAt\":\"2026-11-25T08:00:00Z\",\"traceparent\":null}";
        redis.list(String.class).lpush(QueueKeys.DEAD, dead);

        operator()
                .post("/admin/jobs/dead/" + orderId + "/requeue")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("Stars refund under way"));

        operator().get("/admin/orders/" + orderId).then().body("status", is("FAILED"));
        assertTrue(redis.list(String.class).lrange(QueueKeys.DEAD, 0, -1).contains(dead), "the dead job stays");
        assertFalse(redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(DeliveryJob::parse)
                .anyMatch(job -> job.orderId().equals(orderId)));
    }

    @Test
    void theOperatorResolvesAnUnclearDelivery() {
        String delivered = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"DELIVERED\"}")
                .post("/admin/orders/" + delivered + "/resolve")
                .then()
                .statusCode(200)
                .body("status", is("DELIVERED"))
                .body("deliveredAt", notNullValue());

        String again = paidOrderIn(pool, newUserId(), "DELIVERY_UNKNOWN");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"NOT_DELIVERED\"}")
                .post("/admin/orders/" + again + "/resolve")
                .then()
                .statusCode(200)
                .body("status", is("PAID"));

        operator()
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"MAYBE\"}")
                .post("/admin/orders/" + again + "/resolve")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        operator()
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"DELIVERED\"}")
                .post("/admin/orders/" + again + "/resolve")
                .then()
                .statusCode(409);
    }

    @Test
    void deadJobsAreListedAndRequeuedOnce() {
        String orderId = OrderIds.next();
        String dead = "{\"orderId\":\"" + orderId
                + "\",\"attempt\":8,\"enqueuedAt\":\"2026-11-25T08:00:00Z\",\"traceparent\":null}";
        redis.list(String.class).lpush(QueueKeys.DEAD, dead, "garbage that is not json");
        operator()
                .get("/admin/jobs/dead")
                .then()
                .statusCode(200)
                .body("items.job.orderId", hasItem(orderId))
                .body("items.raw", hasItem("garbage that is not json"));

        operator()
                .post("/admin/jobs/dead/" + orderId + "/requeue")
                .then()
                .statusCode(200)
                .body("removedFromDeadList", is(1));
        assertTrue(redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(DeliveryJob::parse)
                .anyMatch(job -> job.orderId().equals(orderId) && job.attempt() == 1));
        operator()
                .post("/admin/jobs/dead/" + orderId + "/requeue")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        operator().get("/admin/jobs/dead").then().body("items.job.orderId", not(hasItem(orderId)));
    }

    @Test
    void requeueingTheDeadJobOfAnOrderThatRanOutOfAttemptsReopensIt() {
        String orderId = paidOrderIn(pool, newUserId(), "FAILED");
        String dead = "{\"orderId\":\"" + orderId
                + "\",\"attempt\":8,\"enqueuedAt\":\"2026-11-25T08:00:00Z\",\"traceparent\":null}";
        redis.list(String.class).lpush(QueueKeys.DEAD, dead);

        operator()
                .post("/admin/jobs/dead/" + orderId + "/requeue")
                .then()
                .statusCode(200)
                .body("removedFromDeadList", is(1));

        operator().get("/admin/orders/" + orderId).then().statusCode(200).body("status", is("PAID"));
        assertTrue(redis.list(String.class).lrange(QueueKeys.READY, 0, -1).stream()
                .map(DeliveryJob::parse)
                .anyMatch(job -> job.orderId().equals(orderId) && job.attempt() == 1));
    }

    @Test
    void unmatchedPaymentsAreListed() {
        long userId = newUserId();
        send(userId, "/start");
        // a lone transfer event as the poller records it: <hash>:<from>:<micros>:1
        String eventId = "tx" + System.nanoTime() + ":TFromSomebody:7123000:1";
        pool.preparedQuery("""
                insert into payments (provider, external_id, currency, amount_micros, from_address, status, occurred_at)
                values ('TRC20', $1, 'USDT', 7123000, 'TFromSomebody', 'UNMATCHED', now())""").execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5));
        operator()
                .get("/admin/payments/unmatched")
                .then()
                .statusCode(200)
                .body("items.find { it.externalId == '" + eventId + "' }.amount", is("7.123000"));
    }
}
