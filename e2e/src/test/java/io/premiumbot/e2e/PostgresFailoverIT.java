package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * Both packaged services on a PostgreSQL primary with a streaming replica, reached through one address that follows
 * the primary (CloudNativePG's {@code -rw} Service). Mid-run the primary stops as in a crash and the replica is
 * promoted. With synchronous replication — what production must run — nothing the services committed is lost, the
 * ledger holds, every paid order is delivered once, webhook calls in the window get a 5xx and are processed once when
 * Telegram redelivers, and readiness goes down and comes back by itself. With asynchronous replication the test shows
 * what is lost: a payment the customer was told about, its ledger entries, and the record of a gift Telegram made.
 * Times land in {@code e2e/target/failover/postgres-*.json}.
 */
class PostgresFailoverIT {

    private static final int ORDERS = 24;
    /** What CloudNativePG takes at least to notice a dead primary before it promotes; the webhook answers 5xx meanwhile. */
    private static final Duration DETECTION = Duration.ofSeconds(3);

    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(45);

    @Test
    void withASynchronousReplicaNothingCommittedIsLostAndEveryPaidOrderIsDeliveredOnce() throws Exception {
        try (LocalPostgresPair pair = LocalPostgresPair.start(true, PostgresFailoverIT::progress);
                Stack stack = startOn(pair)) {
            Shoppers shoppers = new Shoppers(stack);
            List<Long> buyers = IntStream.range(0, ORDERS)
                    .mapToObj(i -> shoppers.funded("50.000000"))
                    .toList();
            List<Integer> webhookStatuses = Collections.synchronizedList(new ArrayList<>());

            try (FailoverClock clock =
                    new FailoverClock("postgres-synchronous", List.of(stack.api(), stack.worker()))) {
                CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                    for (long buyer : buyers) {
                        webhookStatuses.addAll(shoppers.buyAsTelegramWould(buyer, Duration.ofSeconds(120)));
                        ServerProcess.pause(Duration.ofMillis(150));
                    }
                });
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> shoppers.delivered(buyers) >= 6);

                // what the primary has committed at the moment it dies (more may commit until the stop itself)
                Committed before = Committed.read(pair, stack.database().name());
                clock.mark("primaryStopped");
                pair.stopPrimary();
                await().pollDelay(DETECTION).atMost(DETECTION.plusSeconds(1)).until(() -> true);
                pair.promoteReplica(Duration.ofSeconds(30));
                clock.mark("replicaPromoted");
                traffic.get(3, TimeUnit.MINUTES);
                await().atMost(RECOVERY_BOUND.plusSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> shoppers.delivered(buyers) == ORDERS);
                clock.mark("allDelivered");
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                stack.api().readiness() == 200 && stack.worker().readiness() == 200);
                clock.mark("bothReady");

                Committed after = Committed.read(pair, stack.database().name());
                List<Integer> failed =
                        webhookStatuses.stream().filter(s -> s / 100 != 2).toList();
                clock.fact("orders", ORDERS);
                clock.fact("ordersCommittedBeforeStop", before.orders.size());
                clock.fact("ledgerEntriesCommittedBeforeStop", before.ledger.size());
                clock.fact("webhookNon2xx", failed);
                clock.fact(
                        "stopToPromotionMs",
                        clock.between("primaryStopped", "replicaPromoted").toMillis());
                clock.fact(
                        "promotionToAllDeliveredMs",
                        clock.between("replicaPromoted", "allDelivered").toMillis());
                clock.fact(
                        "promotionToBothReadyMs",
                        clock.between("replicaPromoted", "bothReady").toMillis());

                before.ledger.forEach((id, amount) ->
                        assertEquals(amount, after.ledger.get(id), "ledger entry " + id + " survives the failover"));
                before.orders.forEach((id, status) -> assertTrue(after.orders.containsKey(id), "order " + id));
                before.orders.forEach((id, status) -> {
                    if (status.equals("DELIVERED")) {
                        assertEquals("DELIVERED", after.orders.get(id), "order " + id + "'s state change survives");
                    }
                });
                assertEquals(
                        ORDERS, shoppers.orders(buyers), "one order per buyer: a redelivered update did not buy twice");
                shoppers.assertEachDeliveredOrderGiftedOnce(buyers);
                shoppers.assertLedgerHolds(buyers);
                assertTrue(failed.stream().allMatch(s -> s / 100 == 5 || s < 0), "the window answers 5xx: " + failed);
                assertTrue(!failed.isEmpty(), "some webhook calls fell into the window and were redelivered");
                for (ServiceProcess service : List.of(stack.api(), stack.worker())) {
                    assertNotNull(clock.firstDown(service.name()), service.name() + " reported not ready");
                    assertNotNull(clock.backUp(service.name()), service.name() + " ready again by itself");
                }
                assertTrue(
                        clock.between("replicaPromoted", "allDelivered").compareTo(RECOVERY_BOUND) <= 0,
                        "delivered within " + RECOVERY_BOUND + " of the promotion");
            }
        }
    }

    @Test
    void withAnAsynchronousReplicaAnAcknowledgedPaymentAndTheRecordOfItsGiftCanVanish() throws Exception {
        try (LocalPostgresPair pair = LocalPostgresPair.start(false, PostgresFailoverIT::progress);
                Stack stack = startOn(pair);
                FailoverClock clock =
                        new FailoverClock("postgres-asynchronous", List.of(stack.api(), stack.worker()))) {
            Shoppers shoppers = new Shoppers(stack);
            long early = shoppers.funded("50.000000");
            assertEquals(200, shoppers.buy(early).status());
            await().atMost(Duration.ofSeconds(45)).until(() -> shoppers.delivered(List.of(early)) == 1);
            pair.awaitReplicaCaughtUp(Duration.ofSeconds(10));

            // the replica falls behind (a slow link); the asynchronous primary goes on acknowledging commits
            pair.replicationProxy().cut();
            long late = shoppers.funded("50.000000");
            StackClient.Reply paid = shoppers.buy(late);
            assertEquals(200, paid.status(), paid::toString);
            await().atMost(Duration.ofSeconds(45)).until(() -> shoppers.delivered(List.of(late)) == 1);
            assertEquals(Map.of(late, 1), shoppers.giftsPerRecipient(List.of(late)), "Telegram made the gift");

            clock.mark("primaryStopped");
            pair.stopPrimary();
            pair.promoteReplica(Duration.ofSeconds(30));
            clock.mark("replicaPromoted");
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            stack.api().readiness() == 200 && stack.worker().readiness() == 200);

            // what was replicated before the lag is intact
            assertEquals(1, shoppers.delivered(List.of(early)));
            shoppers.assertLedgerHolds(List.of(early));
            // what was acknowledged after it is gone: the funding, the debit, the paid and delivered order — while
            // the gift Telegram made stays made, now with no record of what paid for it
            long lostLedgerEntries =
                    count(shoppers, "select count(*) from ledger_entries where user_id = any (?)", late);
            long lostOrders = shoppers.orders(List.of(late));
            assertEquals(0, lostOrders, "the acknowledged, delivered order is gone");
            assertEquals(0, lostLedgerEntries, "its ledger entries (funding and debit) are gone");
            assertEquals(Map.of(late, 1), shoppers.giftsPerRecipient(List.of(late)), "yet the gift went out");
            clock.fact(
                    "lost",
                    Map.of(
                            "ordersPaidAndDelivered", 1,
                            "ledgerEntries", 2,
                            "giftsWithoutRecord", 1));
        }
    }

    private static long count(Shoppers shoppers, String sql, long user) {
        long[] found = new long[1];
        shoppers.query(sql, List.of(user), rows -> {
            rows.next();
            found[0] = rows.getLong(1);
        });
        return found[0];
    }

    private static Stack startOn(LocalPostgresPair pair) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WORKER_HEARTBEAT_TTL", "3S");
        env.put("WORKER_HEARTBEAT_EVERY", "1s");
        env.put("WORKER_REAP_EVERY", "1s");
        env.put("WORKER_RECONCILE_EVERY", "1s");
        env.put("WORKER_PAID_STALLED_AFTER", "5S");
        env.put("WORKER_DELIVERING_STALLED_AFTER", "5S");
        env.put("WORKER_UNKNOWN_EVERY", "1s");
        env.put("WORKER_GIFT_VISIBLE_AFTER", "1S");
        env.put("WORKER_EXPIRE_EVERY", "off");
        return Stack.start(Stack.Options.defaults().toBuilder()
                .database(new StackDatabase.Settings(pair.serviceUrl("postgres"), "premium", "premium", false))
                .env(env)
                .build());
    }

    private static void progress(String line) {
        System.out.println("[postgres] " + line);
    }

    /** Orders (id → status) and ledger entries (id → amount) the database holds, read through the service address. */
    private record Committed(Map<String, String> orders, Map<Long, Long> ledger) {
        static Committed read(LocalPostgresPair pair, String database) throws SQLException {
            Map<String, String> orders = new HashMap<>();
            Map<Long, Long> ledger = new HashMap<>();
            try (Connection db = pair.connect(database);
                    Statement statement = db.createStatement()) {
                try (ResultSet rows = statement.executeQuery("select id, status from orders")) {
                    while (rows.next()) {
                        orders.put(rows.getString(1), rows.getString(2));
                    }
                }
                try (ResultSet rows = statement.executeQuery("select id, amount_micros from ledger_entries")) {
                    while (rows.next()) {
                        ledger.put(rows.getLong(1), rows.getLong(2));
                    }
                }
            }
            return new Committed(orders, ledger);
        }
    }
}
