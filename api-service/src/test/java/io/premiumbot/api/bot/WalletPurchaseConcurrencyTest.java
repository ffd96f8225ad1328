package io.premiumbot.api.bot;

import static io.premiumbot.api.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.LedgerInvariant;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Purchases paid from the wallet, many at once on the same wallets: exactly the ones the money covers go through. */
@QuarkusTest
class WalletPurchaseConcurrencyTest {

    private static final int WALLETS = 100;
    private static final int PURCHASES_EACH = 10;

    @Inject
    Pool pool;

    private <T> T one(String sql, Tuple args, java.util.function.Function<Row, T> read) {
        return read.apply(pool.preparedQuery(sql)
                .execute(args)
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next());
    }

    @Test
    void aThousandConcurrentPurchasesOnAHundredWalletsBuyExactlyWhatEachWalletCovers() throws Exception {
        long price = one("select price_micros from prices where months = 3", Tuple.tuple(), row -> row.getLong(0));
        // wallet i covers i % 11 purchases (0 to 10) and has 1 USDT over
        Map<Long, Integer> covers = new HashMap<>();
        Map<Long, Long> funded = new HashMap<>();
        for (int i = 0; i < WALLETS; i++) {
            long buyer = newUserId();
            int affordable = i % 11;
            long micros = affordable * price + 1_000_000;
            send(buyer, "/start");
            credit(buyer, String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000))
                    .statusCode(201);
            covers.put(buyer, affordable);
            funded.put(buyer, micros);
        }
        List<Long> sends = new ArrayList<>();
        covers.keySet().forEach(buyer -> {
            for (int n = 0; n < PURCHASES_EACH; n++) {
                sends.add(buyer);
            }
        });
        Collections.shuffle(sends);

        AtomicInteger paidReplies = new AtomicInteger();
        ExecutorService lanes = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (long buyer : sends) {
                all.add(lanes.submit(() -> {
                    String text =
                            send(buyer, "/buy 3").statusCode(200).extract().path("text");
                    if (text != null && text.contains("is paid")) {
                        paidReplies.incrementAndGet();
                    }
                }));
            }
            for (Future<?> sent : all) {
                sent.get(60, TimeUnit.SECONDS);
            }
        } finally {
            lanes.shutdownNow();
        }

        int expected = covers.values().stream()
                .mapToInt(n -> Math.min(n, PURCHASES_EACH))
                .sum();
        assertEquals(expected, paidReplies.get(), "purchases answered as paid");
        for (Map.Entry<Long, Integer> wallet : covers.entrySet()) {
            long buyer = wallet.getKey();
            long paid = one(
                    "select count(*) from orders where buyer_id = $1 and status = 'PAID' and pay_method = 'WALLET'",
                    Tuple.of(buyer),
                    row -> row.getLong(0));
            long debits = one(
                    "select count(*) from ledger_entries where user_id = $1 and reason = 'ORDER_PAYMENT'",
                    Tuple.of(buyer),
                    row -> row.getLong(0));
            long balance = one(
                    "select balance_micros from users where telegram_id = $1", Tuple.of(buyer), row -> row.getLong(0));
            int affordable = Math.min(wallet.getValue(), PURCHASES_EACH);
            assertEquals(affordable, paid, "paid orders of a wallet covering " + affordable);
            assertEquals(affordable, debits, "one debit per paid order");
            assertEquals(funded.get(buyer) - affordable * price, balance, "what is left in the wallet");
        }
        LedgerInvariant.assertHolds(pool);
    }
}
