package io.premiumbot.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.premiumbot.e2e.Stack;
import io.premiumbot.e2e.StackClient;
import io.premiumbot.testkit.FakeBotApi;

/**
 * SPEC §11 "payment → gift" ({@code mode=latency}) and "delivery rate at Telegram's limit" ({@code mode=rate}).
 * The fake Bot API answers every call after {@code botLatencyMs} (50) and, like Telegram, answers 429 with
 * retry_after past {@code TELEGRAM_RATE_LIMIT_PER_SECOND} calls in a wall-clock second (the same value the worker
 * is configured with, from the environment; 30 by default).
 *
 * <ul>
 * <li>latency: {@code rate} /buy 3 per second (10) for {@code duration} s (30), each paid from a funded wallet; the
 * latency of an order is {@code delivered_at - paid_at} in PostgreSQL.</li>
 * <li>rate: {@code orders} (1000) paid orders pushed through the webhook as fast as 8 clients go; the delivery rate is
 * read off the times the fake received the gifts.</li>
 * </ul>
 */
public final class Delivery {

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        String mode = System.getProperty("mode", "latency");
        int botLatency = Bench.intProp("botLatencyMs", 50);
        int limit = Bench.telegramRateLimit();
        Bench.header("delivery " + mode + ": Bot API answers in " + botLatency + " ms, limit " + limit + "/s (worker and fake)");
        try (Stack stack = Bench.stack(api -> api.latency(Duration.ofMillis(botLatency)).rateLimitPerSecond(limit))) {
            if (mode.equals("rate")) {
                rate(stack);
            } else {
                latency(stack);
            }
        }
    }

    private static void latency(Stack stack) throws Exception {
        int rate = Bench.intProp("rate", 10);
        int duration = Bench.intProp("duration", 30);
        int orders = rate * duration;
        StackClient client = stack.client();
        List<Long> users = LongStream.range(0, Math.max(1, orders / 10)).map(i -> 7_100_000_000L + i).boxed().toList();
        Bench.fund(client, users, "500.000000");
        // a few warm-up orders so the first measured ones don't pay for class loading and JIT
        for (int i = 0; i < 20; i++) {
            client.say(users.get(i % users.size()), null, "/buy 3");
        }
        awaitDelivered(stack, 20, Duration.ofSeconds(60));
        Instant from = Instant.now();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long periodNanos = 1_000_000_000L / rate;
        var task = timer.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= orders) {
                return;
            }
            StackClient.Reply reply = client.say(users.get(n % users.size()), null, "/buy 3");
            if (reply.status() != 200) {
                failed.incrementAndGet();
            }
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        while (sent.get() < orders) {
            Thread.sleep(50);
        }
        task.cancel(false);
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        System.out.printf("sent %d /buy 3 at %d/s (%d webhook errors)%n", orders, rate, failed.get());
        awaitDelivered(stack, 20 + orders, Duration.ofSeconds(120));
        long[] nanos;
        try (Connection db = db(stack); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select extract(epoch from (delivered_at - paid_at)) * 1e9 from orders "
                        + "where status = 'DELIVERED' and paid_at >= '" + from + "'::timestamptz order by 1")) {
            List<Long> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            nanos = values.stream().mapToLong(Long::longValue).toArray();
        }
        System.out.println("--- paid_at -> delivered_at of the measured orders ---");
        System.out.println(Bench.ms(nanos));
        System.out.println("orders by status: " + statuses(stack));
        System.out.println("429 answers from the fake: " + stack.botApi().rateLimitedCount());
    }

    private static void rate(Stack stack) throws Exception {
        int orders = Bench.intProp("orders", 1000);
        StackClient client = stack.client();
        List<Long> users = LongStream.range(0, Math.max(1, orders / 10)).map(i -> 7_200_000_000L + i).boxed().toList();
        Bench.fund(client, users, "200.000000");
        int before = stack.botApi().calls("giftPremiumSubscription").size();
        try (Bench.RssSampler apiRss = new Bench.RssSampler("api-service", Bench.pidOf("api-service"));
                Bench.RssSampler workerRss = new Bench.RssSampler("worker-service", Bench.pidOf("worker-service"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                long user = users.get(i % users.size());
                replies.add(pool.submit(() -> client.say(user, null, "/buy 3").status()));
            }
            int bad = 0;
            for (Future<Integer> f : replies) {
                bad += f.get() == 200 ? 0 : 1;
            }
            pool.shutdown();
            System.out.printf("%d orders paid through the webhook in %.2f s (%d errors)%n", orders,
                    (System.nanoTime() - t0) / 1e9, bad);
            awaitDelivered(stack, orders, Duration.ofSeconds(orders / 5 + 60));
            List<Instant> gifts = stack.botApi().calls("giftPremiumSubscription").stream().skip(before)
                    .map(FakeBotApi.Call::at).sorted().toList();
            Instant first = gifts.get(0);
            Instant last = gifts.get(gifts.size() - 1);
            double seconds = Duration.between(first, last).toNanos() / 1e9;
            Map<Long, Integer> perSecond = new TreeMap<>();
            gifts.forEach(at -> perSecond.merge(at.getEpochSecond(), 1, Integer::sum));
            List<Integer> full = new ArrayList<>(perSecond.values());
            List<Integer> inner = full.size() > 2 ? full.subList(1, full.size() - 1) : full;
            double innerMean = inner.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
            int limit = Bench.telegramRateLimit();
            System.out.println("--- delivery rate ---");
            System.out.printf("%d gift calls received by the fake in %.2f s (first to last): %.2f gifts/s = %.1f %% of the %d/s limit%n",
                    gifts.size(), seconds, (gifts.size() - 1) / seconds, 100.0 * (gifts.size() - 1) / seconds / limit, limit);
            System.out.printf("full wall-clock seconds (first and last partial second left out): mean %.2f gifts/s, min %d, max %d%n",
                    innerMean, inner.stream().mapToInt(Integer::intValue).min().orElse(0),
                    inner.stream().mapToInt(Integer::intValue).max().orElse(0));
            System.out.println("gift calls per wall-clock second: " + full);
            System.out.println("429 answers from the fake: " + stack.botApi().rateLimitedCount()
                    + "; all Bot API calls by method: " + callsByMethod(stack));
            System.out.println("orders by status: " + statuses(stack));
            System.out.println(apiRss.report());
            System.out.println(workerRss.report());
        }
    }

    private static Map<String, Long> callsByMethod(Stack stack) {
        Map<String, Long> counts = new TreeMap<>();
        stack.botApi().calls().forEach(c -> counts.merge(c.method(), 1L, Long::sum));
        return counts;
    }

    private static void awaitDelivered(Stack stack, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (statuses(stack).getOrDefault("DELIVERED", 0L) >= count) {
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("TIMEOUT: not all orders delivered within " + timeout.toSeconds() + " s: " + statuses(stack));
    }

    private static Map<String, Long> statuses(Stack stack) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = db(stack); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select status, count(*) from orders group by status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static Connection db(Stack stack) throws Exception {
        return DriverManager.getConnection(stack.database().jdbcUrl(), stack.database().user(),
                stack.database().password());
    }
}
