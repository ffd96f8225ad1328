package io.premiumbot.api.payments;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** On-chain payment requests as a customer makes them: unique 4-decimal amounts, held for a quarantine, a few per customer. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class PaymentRequestsTest {

    @Inject
    Pool pool;

    @AfterEach
    void ledgerStillBalances() {
        LedgerInvariant.assertHolds(pool);
    }

    private Row row(String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
    }

    private long count(String sql, Object... args) {
        return row(sql, args).getLong(0);
    }

    @Test
    void aCustomerHoldsAtMostThreeOpenPaymentRequestsAndIsToldWhatToDo() {
        long userId = newUserId();
        send(userId, "/start");
        send(userId, "/topup 10").statusCode(200).body("text", startsWith("Send exactly 10."));
        send(userId, "/topup 11").body("text", startsWith("Send exactly 11."));
        send(userId, "/buy 3").body("text", containsString("Send exactly "));

        send(userId, "/topup 12")
                .statusCode(200)
                .body("text", allOf(startsWith("You already have 3 payments waiting for USDT"), containsString("UTC")));
        send(userId, "/buy 6").statusCode(200).body("text", startsWith("You already have 3 payments waiting"));

        assertEquals(3, count("select count(*) from payment_requests where user_id = $1 and status = 'OPEN'", userId));
        assertEquals(
                1,
                count("select count(*) from orders where buyer_id = $1", userId),
                "the refused order was not written");
    }

    @Test
    void askingForTheSameTopUpAgainAnswersTheOpenRequest() {
        long userId = newUserId();
        send(userId, "/start");

        String first = send(userId, "/topup 20").extract().path("text");
        String again = send(userId, "/topup 20").extract().path("text");

        assertEquals(first, again);
        assertEquals(1, count("select count(*) from payment_requests where user_id = $1", userId));
    }

    @Test
    void buyingTheSameOnChainAgainAnswersTheOpenOrder() {
        long userId = newUserId();
        send(userId, "/start");

        String first = send(userId, "/buy 3").extract().path("text");
        String again = send(userId, "/buy 3").extract().path("text");

        assertTrue(first.contains("Send exactly"), first);
        assertEquals(first, again);
        assertEquals(1, count("select count(*) from orders where buyer_id = $1", userId));
        assertEquals(1, count("select count(*) from payment_requests where user_id = $1", userId));
    }

    @Test
    void aPayAmountHasFourDecimalsAboveTheBaseAndIsHeldADayPastItsExpiry() {
        long userId = newUserId();
        send(userId, "/start");

        send(userId, "/topup 30").statusCode(200);

        Row request = row("""
                select amount_micros, base_micros, extract(epoch from held_until - expires_at) as held_after
                from payment_requests where user_id = $1""", userId);
        long suffix = request.getLong("amount_micros") - request.getLong("base_micros");
        assertEquals(30_000_000L, request.getLong("base_micros"));
        assertTrue(suffix >= 100 && suffix <= 999_900 && suffix % 100 == 0, "suffix " + suffix);
        assertEquals(24 * 3600, request.getDouble("held_after"), 0.001);
    }

    @Test
    void theLastFreeAmountOfABaseIsFoundAndNoQuarantinedOneIsHandedOut() {
        long base = ThreadLocalRandom.current().nextLong(1_000, 9_000);
        long holder = newUserId();
        long userId = newUserId();
        send(userId, "/start");
        pool.preparedQuery("insert into users (telegram_id) values ($1)")
                .execute(Tuple.of(holder))
                .await()
                .atMost(Duration.ofSeconds(5));
        // every 4-decimal suffix but 0.1234 is held by requests that closed half an hour ago and sit in quarantine
        pool.preparedQuery("""
                insert into payment_requests (user_id, amount_micros, status, created_at, expires_at)
                select $1, $2::bigint + s * 100, 'EXPIRED', now() - interval '1 hour', now() - interval '30 minutes'
                from generate_series(1, 9999) as s where s <> 1234""")
                .execute(Tuple.of(holder, base * 1_000_000))
                .await()
                .atMost(Duration.ofSeconds(30));
        try {
            send(userId, "/topup " + base)
                    .statusCode(200)
                    .body("text", startsWith("Send exactly " + base + ".123400 USDT"));
        } finally {
            pool.preparedQuery("delete from payment_requests where user_id = $1 or user_id = $2")
                    .execute(Tuple.of(holder, userId))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }
    }
}
