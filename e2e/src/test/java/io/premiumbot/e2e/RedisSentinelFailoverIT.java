package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both packaged services on a Sentinel-managed Redis (a primary, a replica, three sentinels; REDIS_CLIENT_TYPE=sentinel).
 * Orders flow through the webhook; mid-run the primary is killed with SIGKILL and the sentinels promote the replica.
 * What the primary had not yet replicated is lost — Redis' contract — and PostgreSQL restores it: every paid order is
 * delivered exactly once within a bounded time after the promotion, with no operator. The times, and what the failover
 * cost Redis as counted in the services' own logs, land in {@code e2e/target/failover/redis-sentinel.json}.
 */
class RedisSentinelFailoverIT {

    private static final int ORDERS = 30;
    /** Delivered this long after the promotion at the latest (measured: bench/results/failover-redis-sentinel-*.txt). */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(45);
    /** This test's own service logs, read afterwards for what the failover lost. */
    private static final Path LOGS = Stack.defaultProjectRoot().resolve("e2e/target/e2e-logs/redis-sentinel");

    private static final Pattern REQUEUED = Pattern.compile("event=stalled_orders_requeued count=(\\d+)");

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
            stack = Stack.start(Stack.Options.defaults().withEnv(env).withLogDir(LOGS));
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
            // what Redis lost, from the services' logs: pushes that failed while no primary answered, and the jobs the
            // reconciler gave back from PostgreSQL (those two, plus any job the old primary had not replicated)
            clock.fact("jobsNeverPushedToRedis", logLines("api-service.log", "event=delivery_enqueue_failed"));
            clock.fact("jobsRequeuedFromPostgres", requeuedByWorkers());

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

    private static long logLines(String file, String marker) throws IOException {
        try (Stream<String> lines = Files.lines(LOGS.resolve(file), StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(marker)).count();
        }
    }

    private static long requeuedByWorkers() throws IOException {
        long requeued = 0;
        try (Stream<Path> files = Files.list(LOGS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("worker-service"))
                    .toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher matcher = REQUEUED.matcher(line);
                    if (matcher.find()) {
                        requeued += Long.parseLong(matcher.group(1));
                    }
                }
            }
        }
        return requeued;
    }
}
