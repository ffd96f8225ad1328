package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both packaged services on a Sentinel-managed Redis (a primary, a replica, three sentinels; REDIS_CLIENT_TYPE=sentinel).
 * Orders flow through the webhook; mid-run the primary is killed with SIGKILL and the sentinels promote the replica.
 * What the primary had not yet replicated is lost — Redis' contract — and PostgreSQL restores it: every paid order is
 * delivered exactly once within a bounded time after the promotion, with no operator. The times land in
 * {@code e2e/target/failover/redis-sentinel.json}.
 */
class RedisSentinelFailoverIT {

    private static final int ORDERS = 30;
    /** Delivered this long after the promotion at the latest (measured: bench/results/failover-redis-sentinel.json). */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(45);

    private static LocalRedisSentinels redis;
    private static Stack stack;
    private static Shoppers shoppers;

    @BeforeAll
    static void startOnSentinels() {
        redis = LocalRedisSentinels.start(line -> System.out.println("[sentinel] " + line));
        Map<String, String> env = new LinkedHashMap<>(redis.serviceEnv());
        // the recovery settings short, as WorkerFleetIT has them: this test measures the failover, not the defaults
        env.put("WORKER_HEARTBEAT_TTL", "3S");
        env.put("WORKER_HEARTBEAT_EVERY", "1s");
        env.put("WORKER_REAP_EVERY", "1s");
        env.put("WORKER_RECONCILE_EVERY", "1s");
        env.put("WORKER_PAID_STALLED_AFTER", "5S");
        env.put("WORKER_DELIVERING_STALLED_AFTER", "5S");
        env.put("WORKER_UNKNOWN_EVERY", "1s");
        env.put("WORKER_GIFT_VISIBLE_AFTER", "1S");
        env.put("WORKER_EXPIRE_EVERY", "off");
        try {
            stack = Stack.start(Stack.Options.defaults().withEnv(env));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        shoppers = new Shoppers(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyPaidOrderIsDeliveredOnceAfterTheRedisPrimaryIsKilledMidRun() throws Exception {
        List<Long> buyers = IntStream.range(0, ORDERS)
                .mapToObj(i -> shoppers.funded("50.000000"))
                .toList();
        AtomicInteger taken = new AtomicInteger();
        List<Integer> webhookStatuses = java.util.Collections.synchronizedList(new ArrayList<>());

        try (FailoverClock clock = new FailoverClock("redis-sentinel", List.of(stack.api(), stack.worker()))) {
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                for (long buyer : buyers) {
                    webhookStatuses.addAll(shoppers.buyAsTelegramWould(buyer, Duration.ofSeconds(90)));
                    taken.incrementAndGet();
                    ServerProcess.pause(Duration.ofMillis(150));
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> shoppers.delivered(buyers) >= 8);

            clock.mark("primaryKilled");
            redis.killPrimary();
            clock.fact("ordersTakenBeforeKill", taken.get());
            redis.awaitReplicaPromoted(Duration.ofSeconds(30));
            clock.mark("replicaPromoted");
            traffic.get(2, TimeUnit.MINUTES);
            clock.mark("lastOrderTaken");

            await().atMost(RECOVERY_BOUND.plusSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> shoppers.delivered(buyers) == ORDERS);
            clock.mark("allDelivered");
            clock.fact("orders", ORDERS);
            clock.fact(
                    "webhookNon2xx",
                    webhookStatuses.stream().filter(s -> s / 100 != 2).toList());
            clock.fact(
                    "killToPromotionMs",
                    clock.between("primaryKilled", "replicaPromoted").toMillis());
            clock.fact(
                    "promotionToAllDeliveredMs",
                    clock.between("replicaPromoted", "allDelivered").toMillis());

            assertEquals(ORDERS, shoppers.orders(buyers), "one order per buyer, none doubled by a redelivery");
            shoppers.assertEachDeliveredOrderGiftedOnce(buyers);
            shoppers.assertLedgerHolds(buyers);
            assertTrue(
                    clock.between("replicaPromoted", "allDelivered").compareTo(RECOVERY_BOUND) <= 0,
                    "delivered within " + RECOVERY_BOUND + " of the promotion: "
                            + clock.between("replicaPromoted", "allDelivered"));
            // nobody restarted anything: both services report ready on the promoted primary
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            stack.api().readiness() == 200 && stack.worker().readiness() == 200);
        }
    }
}
