package io.premiumbot.api.orders;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(ConcurrentPurchaseTest.NoFloodLimit.class)
class ConcurrentPurchaseTest {

    /** 200 buys from one user in a second is a flood; here it is the point, so the guard steps aside. */
    public static class NoFloodLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bot.flood.limit", "100000");
        }
    }

    @Inject
    Pool pool;

    @Test
    void twoHundredConcurrentBuysOnAWalletForExactlyTenPayExactlyTen() throws Exception {
        long userId = newUserId();
        send(userId, "/start");
        credit(userId, "139.9").statusCode(201); // exactly 10 × 13.990000

        ExecutorService threads = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(threads.submit(() -> send(userId, "/buy 3").extract().statusCode()));
            }
            for (Future<Integer> call : calls) {
                assertEquals(200, call.get());
            }
        } finally {
            threads.shutdownNow();
        }

        Row counts = pool.preparedQuery("""
                select count(*) filter (where status = 'PAID') as paid,
                       count(*) filter (where status = 'PENDING_PAYMENT') as pending,
                       count(distinct pay_amount_micros) as distinct_amounts,
                       count(pay_amount_micros) as amounts
                from orders where buyer_id = $1""")
                .execute(Tuple.of(userId))
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertEquals(10L, counts.getLong("paid"));
        assertEquals(
                1L, counts.getLong("pending"), "the same purchase asked again answers its one open on-chain order");
        assertEquals(1L, counts.getLong("amounts"), "the unpaid order got an on-chain amount");
        operator().get("/admin/users/" + userId).then().body("balance", is("0.000000"));
        LedgerInvariant.assertHolds(pool);
    }
}
