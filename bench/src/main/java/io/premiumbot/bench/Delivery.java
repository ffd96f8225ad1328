package io.premiumbot.bench;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import io.premiumbot.e2e.ServiceProcess;
import io.premiumbot.e2e.Stack;
import io.premiumbot.e2e.StackClient;
import io.premiumbot.testkit.FakeBotApi;

/**
 * "payment → gift" ({@code mode=latency}) and "delivery rate at Telegram's limit" ({@code mode=rate}).
 * The fake Bot API answers every call after {@code botLatencyMs} (50) and, like Telegram, answers 429 with
 * retry_after past {@code TELEGRAM_RATE_LIMIT_PER_SECOND} calls in a wall-clock second (the same value the worker
 * is configured with, from the environment; 30 by default).
 *
 * <ul>
 * <li>latency: {@code rate} /buy 3 per second (10) for {@code duration} s (30), each paid from a funded wallet; the
 * latency of an order is {@code delivered_at - paid_at} in PostgreSQL.</li>
 * <li>rate: {@code orders} (1000) paid orders pushed through the webhook as fast as 8 clients go; the delivery rate is
 * read off the times the fake received the gifts. With {@code -Dqueued=true} the stack's worker is stopped first and a
 * fresh one started only once every order is paid and queued: the rate on a full queue, not limited by how fast the
 * benchmark pays.</li>
 * </ul>
 */
public final class Delivery {

    /** When this benchmark started: its orders are the ones created since. */
    private static final Instant STARTED = Instant.now();

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        String mode = System.getProperty("mode", "latency");
        int botLatency = Bench.intProp("botLatencyMs", 50);
        int limit = Bench.telegramRateLimit();
        Bench.header("delivery " + mode + ": Bot API answers in " + botLatency + " ms, limit " + limit
                + "/s (worker and fake)");
        try (Stack stack =
                Bench.stack(api -> api.latency(Duration.ofMillis(botLatency)).rateLimitPerSecond(limit))) {
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
        List<Long> users = LongStream.range(0, Math.max(1, orders / 10))
                .map(i -> 7_100_000_000L + i)
                .boxed()
                .toList();
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
        var task = timer.scheduleAtFixedRate(
                () -> {
                    int n = sent.getAndIncrement();
                    if (n >= orders) {
                        return;
                    }
                    StackClient.Reply reply = client.say(users.get(n % users.size()), null, "/buy 3");
                    if (reply.status() != 200) {
                        failed.incrementAndGet();
                    }
                },
                0,
                periodNanos,
                TimeUnit.NANOSECONDS);
        while (sent.get() < orders) {
            Thread.sleep(50);
        }
        task.cancel(false);
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        System.out.printf("sent %d /buy 3 at %d/s (%d webhook errors)%n", orders, rate, failed.get());
        awaitDelivered(stack, 20 + orders, Duration.ofSeconds(120));
        long[] nanos;
        try (Connection db = db(stack);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("select extract(epoch from (delivered_at - paid_at)) * 1e9 from orders "
                        + "where status = 'DELIVERED' and created_at >= '" + from + "'::timestamptz and paid_at >= '"
                        + from
                        + "'::timestamptz order by 1")) {
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
        List<Long> users = LongStream.range(0, Math.max(1, orders / 10))
                .map(i -> 7_200_000_000L + i)
                .boxed()
                .toList();
        Bench.fund(client, users, "200.000000");
        int before = stack.botApi().calls("giftPremiumSubscription").size();
        int messagesBefore = stack.botApi().calls("sendMessage").size();
        boolean queued = Boolean.getBoolean("queued");
        if (queued) {
            stack.worker().close();
            System.out.println("queued mode: the stack's worker stopped; the orders are paid and queued first");
        }
        ServiceProcess freshWorker = null;
        try (Bench.RssSampler apiRss = new Bench.RssSampler("api-service", Bench.pidOf("api-service"));
                Bench.RssSampler workerRss =
                        queued ? null : new Bench.RssSampler("worker-service", Bench.pidOf("worker-service"))) {
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
            System.out.printf(
                    "%d orders paid through the webhook in %.2f s (%d errors)%n",
                    orders, (System.nanoTime() - t0) / 1e9, bad);
            if (queued) {
                long t1 = System.nanoTime();
                freshWorker = startWorker(stack);
                System.out.printf(
                        "queued mode: %d orders PAID and queued; a fresh worker ready %.2f s after its start%n",
                        statuses(stack).getOrDefault("PAID", 0L), (System.nanoTime() - t1) / 1e9);
            }
            awaitDelivered(stack, orders, Duration.ofSeconds(orders / 5 + 60));
            List<Instant> gifts = stack.botApi().calls("giftPremiumSubscription").stream()
                    .skip(before)
                    .map(FakeBotApi.Call::at)
                    .sorted()
                    .toList();
            Instant first = gifts.get(0);
            Instant last = gifts.get(gifts.size() - 1);
            double seconds = Duration.between(first, last).toNanos() / 1e9;
            Map<Long, Integer> perSecond = new TreeMap<>();
            gifts.forEach(at -> perSecond.merge(at.getEpochSecond(), 1, Integer::sum));
            List<Integer> full = new ArrayList<>(perSecond.values());
            List<Integer> inner = full.size() > 2 ? full.subList(1, full.size() - 1) : full;
            double innerMean =
                    inner.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
            int limit = Bench.telegramRateLimit();
            System.out.println("--- delivery rate ---");
            System.out.printf(
                    "%d gift calls received by the fake in %.2f s (first to last): %.2f gifts/s = %.1f %% of the %d/s limit%n",
                    gifts.size(),
                    seconds,
                    (gifts.size() - 1) / seconds,
                    100.0 * (gifts.size() - 1) / seconds / limit,
                    limit);
            System.out.printf(
                    "full wall-clock seconds (first and last partial second left out): mean %.2f gifts/s, min %d, max %d%n",
                    innerMean,
                    inner.stream().mapToInt(Integer::intValue).min().orElse(0),
                    inner.stream().mapToInt(Integer::intValue).max().orElse(0));
            System.out.println("gift calls per wall-clock second: " + full);
            notifications(stack, orders, messagesBefore, last);
            System.out.println("429 answers from the fake: " + stack.botApi().rateLimitedCount()
                    + "; all Bot API calls by method: " + callsByMethod(stack));
            System.out.println("orders by status: " + statuses(stack));
            System.out.println(apiRss.report());
            if (workerRss != null) {
                System.out.println(workerRss.report());
            }
        } finally {
            if (freshWorker != null) {
                freshWorker.close();
            }
        }
    }

    /** A worker-service as the Stack starts one (same database, Redis, fake Bot API, JVM options and cache). */
    private static ServiceProcess startWorker(Stack stack) {
        Path root = Path.of(System.getProperty("premium.projectRoot", "."))
                .toAbsolutePath()
                .normalize();
        List<String> command = Bench.serviceCommand(root, "worker-service");
        int port = Bench.freePort();
        Map<String, String> env = Bench.serviceEnvironment(stack, port);
        // as the Stack starts its services
        env.put("MALLOC_ARENA_MAX", "2");
        ServiceProcess worker = ServiceProcess.start(
                "worker-service-queued",
                command,
                env,
                root.resolve("bench/target/logs/worker-service-queued.log"),
                URI.create("http://127.0.0.1:" + port));
        worker.awaitReady(Duration.ofSeconds(60));
        return worker;
    }

    /**
     * The notifications of the run: how many went out while gifts were still being sent, how long the backlog took to
     * drain after the last gift, at what rate, and whether every order was told exactly once.
     */
    private static void notifications(Stack stack, int orders, int messagesBefore, Instant lastGift) throws Exception {
        Instant deadline = Instant.now().plusSeconds(orders / 5 + 60);
        while (Instant.now().isBefore(deadline)
                && (pendingNotifications(stack) > 0 || notificationRows(stack) < orders)) {
            Thread.sleep(200);
        }
        List<FakeBotApi.Call> messages = stack.botApi().calls("sendMessage").stream()
                .skip(messagesBefore)
                .sorted(Comparator.comparing(FakeBotApi.Call::at))
                .toList();
        Map<String, Integer> toldPerOrder = new TreeMap<>();
        Pattern order = Pattern.compile("Order (\\S+) is delivered");
        for (FakeBotApi.Call message : messages) {
            Matcher m = order.matcher(message.params().getOrDefault("text", ""));
            while (m.find()) {
                toldPerOrder.merge(m.group(1), 1, Integer::sum);
            }
        }
        long duringGifts =
                messages.stream().filter(m -> !m.at().isAfter(lastGift)).count();
        List<Instant> after = messages.stream()
                .map(FakeBotApi.Call::at)
                .filter(at -> at.isAfter(lastGift))
                .toList();
        Map<Long, Integer> perSecond = new TreeMap<>();
        messages.forEach(m -> perSecond.merge(m.at().getEpochSecond(), 1, Integer::sum));
        System.out.println("--- notifications ---");
        System.out.printf(
                "%d messages (sendMessage) told %d of %d orders; orders told more than once: %d; not told: %d; still pending in the outbox: %d%n",
                messages.size(),
                toldPerOrder.size(),
                orders,
                toldPerOrder.values().stream().filter(n -> n > 1).count(),
                orders - toldPerOrder.size(),
                pendingNotifications(stack));
        System.out.printf("while gifts were being sent (up to the last gift): %d messages%n", duringGifts);
        if (!after.isEmpty()) {
            double drain =
                    Duration.between(lastGift, after.get(after.size() - 1)).toNanos() / 1e9;
            System.out.printf(
                    "backlog after the last gift: %d messages in %.2f s = %.2f notifications/s%n",
                    after.size(), drain, after.size() / Math.max(drain, 1e-3));
        }
        System.out.println("messages per wall-clock second: " + perSecond.values());
    }

    private static long pendingNotifications(Stack stack) throws Exception {
        return count(stack, "select count(*) from customer_notifications where finished_at is null");
    }

    private static long notificationRows(Stack stack) throws Exception {
        return count(stack, "select count(*) from customer_notifications where kind = 'delivered'");
    }

    private static long count(Stack stack, String query) throws Exception {
        try (Connection db = db(stack);
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
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
        System.out.println(
                "TIMEOUT: not all orders delivered within " + timeout.toSeconds() + " s: " + statuses(stack));
    }

    private static Map<String, Long> statuses(Stack stack) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        // only this run's orders: on a copy of the growth benchmark's year there are millions before them
        try (Connection db = db(stack);
                var st = db.prepareStatement(
                        "select status, count(*) from orders where created_at >= ? group by status")) {
            st.setObject(1, java.time.OffsetDateTime.ofInstant(STARTED, java.time.ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static Connection db(Stack stack) throws Exception {
        return DriverManager.getConnection(
                stack.database().jdbcUrl(),
                stack.database().user(),
                stack.database().password());
    }
}
