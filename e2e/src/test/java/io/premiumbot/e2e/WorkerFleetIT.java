package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.premiumbot.testkit.FakeBotApi;
import redis.clients.jedis.Jedis;

/**
 * Two worker processes on one queue, black box, with the faults the queue exists for: a worker killed
 * (SIGKILL) in the middle of a batch, and Redis losing everything while paid orders wait. PostgreSQL is
 * the truth: every order ends DELIVERED, and Telegram sees each gift exactly once.
 */
class WorkerFleetIT {

    private static final String READY = "{premium}:delivery:ready";
    private static final AtomicInteger ORDER_SEQUENCE = new AtomicInteger();

    private static Stack stack;

    @BeforeAll
    static void startTwoWorkers() {
        stack = Stack.start(Stack.Options.defaults()
                .withWorkers(2)
                .withEnv(Map.ofEntries(
                        // Telegram's real limit would make this test take a minute; the limiter is what's tested
                        // elsewhere
                        Map.entry("TELEGRAM_RATE_LIMIT_PER_SECOND", "400"),
                        Map.entry("WORKER_HEARTBEAT_TTL", "3S"),
                        Map.entry("WORKER_HEARTBEAT_EVERY", "1s"),
                        Map.entry("WORKER_REAP_EVERY", "1s"),
                        Map.entry("WORKER_RECONCILE_EVERY", "1s"),
                        Map.entry("WORKER_PAID_STALLED_AFTER", "3S"),
                        Map.entry("WORKER_DELIVERING_STALLED_AFTER", "4S"),
                        Map.entry("WORKER_UNKNOWN_EVERY", "1s"),
                        Map.entry("WORKER_GIFT_VISIBLE_AFTER", "1S"),
                        Map.entry("WORKER_EXPIRE_EVERY", "off"))));
        // enough Stars for every gift of this class (the fake starts with a million: a thousand 3-month gifts)
        stack.botApi().starBalance(100_000_000);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aThousandOrdersThroughTwoWorkersOneKilledMidwayAreEachGiftedExactlyOnce() throws Exception {
        List<Long> recipients = paidOrders(1000, Instant.now());
        try (Jedis redis = redis()) {
            for (String orderId : orderIdsFor(recipients)) {
                redis.lpush(READY, job(orderId));
            }
        }
        FakeBotApi telegram = stack.botApi();
        await(Duration.ofSeconds(60), () -> giftsTo(telegram, recipients).size() >= 200, "200 gifts before the kill");
        stack.workers().get(0).kill();

        await(
                Duration.ofSeconds(120),
                () -> delivered(recipients) == recipients.size(),
                () -> delivered(recipients) + " of " + recipients.size() + " delivered; worker-2 log:\n"
                        + String.join("\n", stack.workers().get(1).tail(30)));
        List<Long> gifts = giftsTo(telegram, recipients);
        assertEquals(recipients.size(), gifts.size(), "gifts made");
        assertEquals(recipients.size(), new HashSet<>(gifts).size(), "no recipient gifted twice");
    }

    @Test
    void paidOrdersSurviveRedisLosingEverything() throws Exception {
        List<Long> recipients = paidOrders(50, Instant.now().minusSeconds(60));
        try (Jedis redis = redis()) {
            // the jobs were enqueued once; then Redis lost everything it had
            for (String orderId : orderIdsFor(recipients)) {
                redis.lpush(READY, job(orderId));
            }
            redis.flushDB();
        }
        await(
                Duration.ofSeconds(60),
                () -> delivered(recipients) == recipients.size(),
                () -> delivered(recipients) + " of " + recipients.size() + " delivered after the flush");
        List<Long> gifts = giftsTo(stack.botApi(), recipients);
        assertEquals(recipients.size(), gifts.size());
        assertEquals(recipients.size(), new HashSet<>(gifts).size());
    }

    /** Buyers with money and PAID orders, written straight to the database as api-service commits them. */
    private static List<Long> paidOrders(int count, Instant paidAt) throws SQLException {
        List<Long> recipients = new ArrayList<>();
        long base = ThreadLocalRandom.current().nextLong(3_000_000_000L, 8_000_000_000L);
        try (Connection db = database()) {
            db.setAutoCommit(false);
            try (PreparedStatement user = db.prepareStatement(
                            "insert into users (telegram_id, username, balance_micros, created_at, updated_at) values (?, ?, 0, now(), now())");
                    PreparedStatement order = db.prepareStatement("""
                            insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method, status,
                                                created_at, updated_at, paid_at)
                            values (?, ?, ?, 3, 1000, 13990000, 'WALLET', 'PAID', ?, ?, ?)""")) {
                for (int i = 0; i < count; i++) {
                    long buyer = base + 2L * i;
                    long recipient = buyer + 1;
                    user.setLong(1, buyer);
                    user.setString(2, "fleet" + buyer);
                    user.addBatch();
                    Timestamp at = Timestamp.from(paidAt);
                    order.setString(1, orderId(recipient));
                    order.setLong(2, buyer);
                    order.setLong(3, recipient);
                    order.setTimestamp(4, at);
                    order.setTimestamp(5, at);
                    order.setTimestamp(6, at);
                    order.addBatch();
                    recipients.add(recipient);
                }
                user.executeBatch();
                order.executeBatch();
            }
            db.commit();
        }
        return recipients;
    }

    private static final Map<Long, String> ORDER_IDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String orderId(long recipient) {
        return ORDER_IDS.computeIfAbsent(
                recipient, r -> "FL" + String.format("%06d", ORDER_SEQUENCE.incrementAndGet()));
    }

    private static List<String> orderIdsFor(List<Long> recipients) {
        return recipients.stream().map(WorkerFleetIT::orderId).toList();
    }

    private static String job(String orderId) {
        return "{\"orderId\":\"" + orderId + "\",\"attempt\":1,\"enqueuedAt\":\"" + Instant.now()
                + "\",\"traceparent\":null}";
    }

    private static long delivered(List<Long> recipients) {
        try (Connection db = database();
                PreparedStatement query = db.prepareStatement(
                        "select count(*) from orders where status = 'DELIVERED' and id = any (?)")) {
            query.setArray(
                    1, db.createArrayOf("varchar", orderIdsFor(recipients).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> giftsTo(FakeBotApi telegram, List<Long> recipients) {
        Set<Long> wanted = new HashSet<>(recipients);
        return telegram.calls("giftPremiumSubscription").stream()
                .map(call -> call.longParam("user_id"))
                .filter(wanted::contains)
                .toList();
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(
                stack.database().jdbcUrl(),
                stack.database().user(),
                stack.database().password());
    }

    private static Jedis redis() {
        Jedis redis = new Jedis(stack.redis().host(), stack.redis().port());
        redis.select(stack.redis().db());
        return redis;
    }

    private static void await(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        await(timeout, condition, () -> what);
    }

    private static void await(
            Duration timeout, java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for: " + what.get(), e);
        }
    }
}
