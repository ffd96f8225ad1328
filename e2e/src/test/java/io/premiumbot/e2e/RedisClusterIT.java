package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Both packaged services on a Redis Cluster of three masters (REDIS_CLIENT_TYPE=cluster), unchanged: the queue, the
 * Telegram rate limiter, the flood guard, console sessions and worker heartbeats all work, and a purchase is delivered
 * as one gift. A key or script spanning two slots would fail here with CROSSSLOT (docs/redis.md).
 */
class RedisClusterIT {

    // the queue's keys as shared-model QueueKeys names them (this module runs the packaged services, not their code)
    private static final String READY = "{premium}:delivery:ready";
    private static final String DELAYED = "{premium}:delivery:delayed";
    private static final String DEAD = "{premium}:delivery:dead";
    private static final String WORKERS = "{premium}:delivery:workers";
    private static final String RATE_NEXT_SLOT = "{premium}:telegram:rate:next";

    private static final String OPERATOR_TOKEN = "cluster-operator-token";
    private static final int FLOOD_LIMIT = 4;

    private static LocalRedisCluster cluster;
    private static Stack stack;
    private static Shoppers shoppers;

    @BeforeAll
    static void startOnACluster() throws Exception {
        cluster = LocalRedisCluster.start(line -> System.out.println("[cluster] " + line));
        Map<String, String> env = new LinkedHashMap<>(cluster.serviceEnv());
        env.put("OPERATORS", "olga:operator:" + sha256(OPERATOR_TOKEN));
        env.put("BOT_FLOOD_LIMIT", String.valueOf(FLOOD_LIMIT));
        // a window the test never straddles (windows are aligned to the clock)
        env.put("BOT_FLOOD_WINDOW", "3600S");
        env.put("WORKER_HEARTBEAT_EVERY", "1s");
        try {
            stack = Stack.start(Stack.Options.defaults().withEnv(env));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        shoppers = new Shoppers(stack);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWalletPurchaseIsDeliveredAsExactlyOneGiftThroughTheCluster() {
        long buyer = shoppers.funded("50.000000");

        StackClient.Reply bought = shoppers.buy(buyer);

        assertEquals(200, bought.status(), bought::toString);
        await().atMost(Duration.ofSeconds(45)).until(() -> shoppers.delivered(List.of(buyer)) == 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> shoppers.giftsPerRecipient(List.of(buyer)).equals(Map.of(buyer, 1)));
        shoppers.assertLedgerHolds(List.of(buyer));
        // the job went through ready and a processing list and was acknowledged: the queue is empty again
        try (JedisCluster redis = redis()) {
            assertEquals(0, redis.llen(READY));
            for (String worker : redis.smembers(WORKERS)) {
                assertEquals(0, redis.llen(processing(worker)), "jobs held by " + worker);
            }
            assertEquals(0, redis.llen(DEAD));
        }
    }

    @Test
    void severalPurchasesAtOnceShareTheRateLimiterAndAreEachGiftedOnce() {
        List<Long> buyers = IntStream.range(0, 6)
                .mapToObj(i -> shoppers.funded("50.000000"))
                .toList();

        buyers.parallelStream().forEach(shoppers::buy);

        await().atMost(Duration.ofSeconds(60)).until(() -> shoppers.delivered(buyers) == buyers.size());
        shoppers.assertEachDeliveredOrderGiftedOnce(buyers);
        shoppers.assertLedgerHolds(buyers);
        try (JedisCluster redis = redis()) {
            // the shared budget toward Telegram was spent in the cluster (its next free slot was written there)
            assertTrue(redis.exists(RATE_NEXT_SLOT), "the rate limiter's key");
        }
    }

    @Test
    void theFloodGuardCountsAUsersUpdatesOnTheCluster() {
        long user = shoppers.funded("0.000001");

        // funded() sent one /start already; the guard lets FLOOD_LIMIT through, then warns once, then drops
        List<StackClient.Reply> replies = IntStream.range(0, FLOOD_LIMIT + 1)
                .mapToObj(i -> stack.client().say(user, "flooder", "/help"))
                .toList();

        StackClient.Reply lastAllowed = replies.get(FLOOD_LIMIT - 2);
        assertTrue(!lastAllowed.body().contains("too fast"), "within the limit: " + lastAllowed.body());
        StackClient.Reply warned = replies.get(FLOOD_LIMIT - 1);
        assertEquals(200, warned.status(), warned::toString);
        assertTrue(warned.body().contains("too fast"), "the first update over the limit is warned: " + warned.body());
        StackClient.Reply dropped = replies.get(FLOOD_LIMIT);
        assertEquals(200, dropped.status(), dropped::toString);
        assertTrue(
                dropped.body().isBlank() || !dropped.body().contains("sendMessage"),
                "later updates are dropped: " + dropped.body());
    }

    @Test
    void anOperatorsConsoleSessionLivesOnTheCluster() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        URI login = stack.apiUri().resolve("/console/login");

        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(login)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + OPERATOR_TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(303, signedIn.statusCode(), signedIn.body());
        String cookie =
                signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> console = http.send(
                HttpRequest.newBuilder(stack.apiUri().resolve("/console"))
                        .header("Cookie", cookie)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, console.statusCode(), "the session found again in the cluster");
        assertTrue(console.body().contains("olga"), "signed in as olga");
    }

    @Test
    void theWorkersHeartbeatLeaseIsKeptInTheCluster() {
        try (JedisCluster redis = redis()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> redis.smembers(WORKERS).size() == 1);
            String worker = redis.smembers(WORKERS).iterator().next();
            long ttl = redis.pttl(heartbeat(worker));
            assertTrue(ttl > 0, "the heartbeat key has a TTL: " + ttl);
            // renewed: the TTL goes up again within a few heartbeats
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.pttl(heartbeat(worker)) > ttl);
        }
    }

    @Test
    void theSharedKeysLiveInOneSlotWhileFloodCountersSpreadOverTheNodes() {
        // the reason the hash tag exists: one node serves every key a script may touch together
        Set<Integer> sharedOwners = new HashSet<>();
        for (String key : List.of(READY, DELAYED, DEAD, processing("w"))) {
            sharedOwners.add(cluster.portOwning(key));
        }
        assertEquals(1, sharedOwners.size(), "the {premium} keys on one node");
        Set<Integer> floodOwners = new HashSet<>();
        for (long user = 1; user <= 30; user++) {
            floodOwners.add(cluster.portOwning("flood:" + user + ":1"));
        }
        assertEquals(3, floodOwners.size(), "per-user flood counters spread over all three masters");
    }

    private static String processing(String worker) {
        return "{premium}:delivery:processing:" + worker;
    }

    private static String heartbeat(String worker) {
        return "{premium}:delivery:heartbeat:" + worker;
    }

    private static JedisCluster redis() {
        Set<HostAndPort> nodes = new HashSet<>();
        cluster.ports().forEach(port -> nodes.add(new HostAndPort("127.0.0.1", port)));
        return new JedisCluster(nodes);
    }

    private static String sha256(String token) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
