package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * Nobody can hold a price's unique amounts away from real customers: a customer's unpaid requests keep their amounts
 * through the quarantine and count against them (10 at most), a price has 999,999 amounts (four decimals first, then
 * six), and a gauge per plan says how many are free so an alert fires long before a price runs out.
 */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class AmountExhaustionTest {

    private static final Duration QUERY = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    PayAmounts payAmounts;

    @Inject
    FreePayAmounts freeAmounts;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(Tuple.from(args)).await().atMost(QUERY);
    }

    private long number(String query, Object... args) {
        Row row = pool.preparedQuery(query)
                .execute(Tuple.from(args))
                .await()
                .atMost(QUERY)
                .iterator()
                .next();
        return row.getLong(0);
    }

    private long user() {
        long id = newUserId();
        sql("insert into users (telegram_id) values ($1)", id);
        return id;
    }

    /** A whole-dollar base nobody else's requests use, so the amounts counted are this test's alone. */
    private static long isolatedBase() {
        return ThreadLocalRandom.current().nextLong(10_000, 90_000) * 1_000_000L;
    }

    /** {@code requests} of the user's, each with its own amount above {@code base}, closed and in quarantine. */
    private void abandoned(long userId, long base, int requests, String status) {
        sql("""
                insert into payment_requests (user_id, amount_micros, base_micros, status, created_at, expires_at)
                select $1, $2::bigint + s * 100, $2::bigint, $3, now() - interval '3 hours', now() - interval '150 minutes'
                from generate_series(1, $4::integer) as s""", userId, base, status, requests);
    }

    /** What the customer asking at {@code now} gets: the amount, or the exception that refused them. */
    private Object ask(long userId, long base, Instant now) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                    payAmounts.allocate(userId, null, Money.ofMicros(base), now, now.plus(Duration.ofMinutes(30)))));
        } catch (TooManyUnpaidRequestsException | TooManyOpenRequestsException refused) {
            return refused;
        } catch (Throwable unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    @Test
    void aCustomersQuarantinedAmountsCountAgainstThem() {
        long userId = newUserId();
        send(userId, "/start");
        long base = isolatedBase();
        abandoned(userId, base, 10, "EXPIRED");

        send(userId, "/topup 5")
                .statusCode(200)
                .body(
                        "text",
                        allOf(startsWith("You asked for 10 USDT payments that were not paid"), containsString("UTC")));

        assertEquals(
                0,
                number("select count(*) from payment_requests where user_id = $1 and status = 'OPEN'", userId),
                "nothing was allocated");
    }

    @Test
    void aCustomersPaidRequestsDoNotCountAgainstThem() {
        long userId = newUserId();
        send(userId, "/start");
        abandoned(userId, isolatedBase(), 10, "PAID");

        send(userId, "/topup 5").statusCode(200).body("text", startsWith("Send exactly 5."));
    }

    @Test
    void throwawayAccountsCannotExhaustAPriceInADay() {
        long base = isolatedBase();
        List<Long> throwaways = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            throwaways.add(user());
        }
        Instant start = Instant.now();
        int granted = 0;
        int refused = 0;
        try {
            // 70 accounts ask three times every 30 minutes for a day: 10,080 requests at one price
            for (int round = 0; round < 48; round++) {
                Instant now = start.plus(Duration.ofMinutes(30L * round));
                for (long account : throwaways) {
                    for (int i = 0; i < 3; i++) {
                        Object answer = ask(account, base, now);
                        if (answer instanceof Money) {
                            granted++;
                        } else {
                            assertInstanceOf(TooManyUnpaidRequestsException.class, answer, "round " + round);
                            refused++;
                        }
                    }
                }
            }
            Instant endOfDay = start.plus(Duration.ofHours(24));

            assertEquals(70 * 10, granted, "each account holds at most its 10 unpaid amounts");
            assertEquals(70 * 3 * 48 - 700, refused);
            long held = number(
                    "select count(*) from payment_requests where base_micros = $1 and held_until > $2",
                    base,
                    endOfDay.atOffset(java.time.ZoneOffset.UTC));
            assertEquals(700, held, "of " + PayAmounts.AMOUNTS_PER_BASE + " amounts");
            long customer = user();
            Money amount = (Money) ask(customer, base, endOfDay);
            long suffix = amount.micros() - base;
            assertTrue(
                    suffix > 0 && suffix < 1_000_000 && suffix % 100 == 0,
                    "a real customer still gets an easy four-decimal amount: " + amount.plain());
        } finally {
            sql("delete from payment_requests where base_micros = $1", base);
        }
    }

    @Test
    void whenEveryFourDecimalAmountIsHeldASixDecimalOneIsHandedOut() {
        long whole = ThreadLocalRandom.current().nextLong(1_000, 9_000);
        long holder = user();
        long userId = newUserId();
        send(userId, "/start");
        sql("""
                insert into payment_requests (user_id, amount_micros, status, created_at, expires_at)
                select $1, $2::bigint + s * 100, 'PAID', now() - interval '1 hour', now() - interval '30 minutes'
                from generate_series(1, 9999) as s""", holder, whole * 1_000_000);
        try {
            String text =
                    send(userId, "/topup " + whole).statusCode(200).extract().path("text");

            assertTrue(text.startsWith("Send exactly " + whole + "."), text);
            String decimals =
                    text.substring(("Send exactly " + whole + ".").length()).substring(0, 6);
            assertNotEquals("00", decimals.substring(4), "six decimals once four are taken: " + text);
        } finally {
            sql("delete from payment_requests where user_id = $1 or user_id = $2", holder, userId);
        }
    }

    @Test
    void theFreeAmountsGaugeSaysHowManyAmountsOfAPriceAreLeft() throws Throwable {
        long price = number("select price_micros from prices where months = 6");
        long holder = user();
        VertxContextSupport.subscribeAndAwait(() -> freeAmounts.refresh());
        long before = freeAmounts.free(Months.SIX);
        // never a multiple of 100: no other test's four-decimal amount is among them
        int offset = ThreadLocalRandom.current().nextInt(1, 100);
        try {
            sql("""
                    insert into payment_requests (user_id, amount_micros, base_micros, status, created_at, expires_at)
                    select $1, $2::bigint + $3::bigint + s * 1000, $2::bigint, 'EXPIRED', now() - interval '1 hour', now() - interval '30 minutes'
                    from generate_series(1, 25) as s""", holder, price, offset);
            VertxContextSupport.subscribeAndAwait(() -> freeAmounts.refresh());

            assertTrue(before > 0 && before <= PayAmounts.AMOUNTS_PER_BASE, "free before: " + before);
            assertEquals(before - 25, freeAmounts.free(Months.SIX), "quarantined amounts are not free");
            String metrics = RestAssured.get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertTrue(
                    metrics.contains("premium_payment_amounts_free{months=\"6\"} " + (double) (before - 25)),
                    "exposed per plan");
        } finally {
            sql("delete from payment_requests where user_id = $1", holder);
        }
    }
}
