package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.order.OrderIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The chargeback guard on buyers without a delivered order: at most 2,000 Stars a day, their Stars orders held an hour. */
@QuarkusTest
@TestProfile(ChargebackGuardTest.Guarded.class)
class ChargebackGuardTest {

    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("shop.stars-guard.daily-limit", "2000", "shop.stars-guard.first-order-hold", "1H");
        }
    }

    @Inject
    Pool pool;

    private static long newBuyer() {
        long buyer = newUserId();
        send(buyer, "/start");
        return buyer;
    }

    /** The invoice's payload, {@code order:<id>}. */
    private static String invoice(long buyer, int months) {
        return press(buyer, "en", payInStarsButton(buyer, months))
                .body("method", is("sendInvoice"))
                .extract()
                .path("payload");
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5));
    }

    private long orders(long buyer) {
        return number(pool, "select count(*) from orders where buyer_id = $1", buyer);
    }

    /** A 6-month Stars order of the buyer paid (1,500 Stars) at {@code paidAt}, in {@code status}. */
    private String starsOrderPaid(long buyer, Instant paidAt, String status) {
        String id = OrderIds.next();
        sql("""
                insert into orders (id, buyer_id, recipient_id, months, star_count, star_price, price_micros, pay_method,
                                    status, created_at, updated_at, paid_at)
                values ($1, $2, $2, 6, 1500, 1500, 18990000, 'STARS', $3, now(), now(), $4)""", id, buyer, status, paidAt.atOffset(java.time.ZoneOffset.UTC));
        return id;
    }

    @Test
    void aStarsInvoiceOverTheDailyLimitIsRefusedWithNothingCharged() {
        long buyer = newBuyer();
        invoice(buyer, 3);
        String payInStars = payInStarsButton(buyer, 6);

        press(buyer, "en", payInStars)
                .body("method", is("sendMessage"))
                .body("text", containsString("up to 2000 Stars a day"))
                .body("text", containsString("(1500 Stars)"))
                .body("text", containsString("Nothing was charged"));

        assertEquals(1, orders(buyer), "only the 1,000-Star order within the limit was made");
    }

    @Test
    void aCheckoutOverTheDailyLimitIsAnsweredNoWithTheReason() {
        long buyer = newBuyer();
        String payload = invoice(buyer, 3);
        // meanwhile 1,500 Stars of the buyer's were paid (another order, e.g. an invoice sent before the limit was set)
        starsOrderPaid(buyer, Instant.now(), "PAID");

        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, payload))
                .body("method", is("answerPreCheckoutQuery"))
                .body("ok", is(false))
                .body("error_message", containsString("up to 2000 Stars a day"));
    }

    @Test
    void starsPaidMoreThanADayAgoNoLongerCount() {
        long buyer = newBuyer();
        starsOrderPaid(buyer, Instant.now().minus(Duration.ofHours(25)), "PAID");

        String payload = invoice(buyer, 6);

        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1500, payload)).body("ok", is(true));
    }

    @Test
    void aBuyerWithADeliveredOrderIsNotLimitedNorHeld() {
        long buyer = newBuyer();
        starsOrderPaid(buyer, Instant.now(), "DELIVERED");
        String first = invoice(buyer, 6);
        String second = invoice(buyer, 6);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1500, second)).body("ok", is(true));

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1500, first, "charge-" + first))
                .body("text", containsString("The gift is on its way"));
        operator()
                .get("/admin/orders/" + first.substring("order:".length()))
                .then()
                .body("deliveryHeldUntil", nullValue());
    }

    @Test
    void concurrentInvoicesCannotTogetherGoOverTheDailyLimit() throws Exception {
        long buyer = newBuyer();
        List<String> buttons = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buttons.add(payInStarsButton(buyer, 3));
        }
        ExecutorService pool = Executors.newFixedThreadPool(buttons.size());
        try {
            List<Future<String>> methods = new ArrayList<>();
            for (String button : buttons) {
                Callable<String> tap =
                        () -> press(buyer, "en", button).extract().path("method");
                methods.add(pool.submit(tap));
            }
            long invoices = 0;
            for (Future<String> method : methods) {
                if ("sendInvoice".equals(method.get())) {
                    invoices++;
                }
            }
            assertEquals(2, invoices, "2 × 1,000 Stars fit the 2,000 a day; the others were refused");
        } finally {
            pool.shutdown();
        }
        assertEquals(2, orders(buyer));
    }

    @Test
    void theFirstStarsOrderOfANewBuyerIsHeldForTheOperatorToSee() {
        long buyer = newBuyer();
        String payload = invoice(buyer, 3);
        sendUpdate(preCheckoutUpdate(nextUpdateId(), buyer, 1000, payload)).body("ok", is(true));

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, payload, "charge-" + payload))
                .body("text", containsString("As a first purchase, its gift is sent at"));

        String orderId = payload.substring("order:".length());
        String heldUntil = operator()
                .get("/admin/orders/" + orderId)
                .then()
                .body("status", is("PAID"))
                .extract()
                .path("deliveryHeldUntil");
        Duration hold = Duration.between(Instant.now(), Instant.parse(heldUntil));
        assertTrue(
                hold.compareTo(Duration.ofMinutes(59)) > 0 && hold.compareTo(Duration.ofMinutes(61)) < 0,
                "held " + hold);
        Instant giftNotBefore = pool.preparedQuery("select gift_not_before from orders where id = $1")
                .execute(Tuple.of(orderId))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getOffsetDateTime(0)
                .toInstant();
        assertEquals(Instant.parse(heldUntil), giftNotBefore, "the worker's claim honours gift_not_before");
    }

    @Test
    void aLaterStarsOrderWaitsForTheHoldOfTheFirst() {
        long buyer = newBuyer();
        String first = invoice(buyer, 3);
        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, first, "charge-" + first));
        String second = invoice(buyer, 3);

        sendUpdate(successfulPaymentUpdate(nextUpdateId(), buyer, 1000, second, "charge-" + second));

        String firstHeld = operator()
                .get("/admin/orders/" + first.substring("order:".length()))
                .then()
                .extract()
                .path("deliveryHeldUntil");
        String secondHeld = operator()
                .get("/admin/orders/" + second.substring("order:".length()))
                .then()
                .extract()
                .path("deliveryHeldUntil");
        assertEquals(firstHeld, secondHeld, "held until the hold from the buyer's first Stars payment ends");
    }
}
