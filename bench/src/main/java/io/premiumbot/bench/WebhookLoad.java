package io.premiumbot.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import io.premiumbot.e2e.ServiceProcess;
import io.premiumbot.e2e.Stack;
import io.premiumbot.testkit.TelegramUpdates;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The webhook the way Telegram calls it: closed loop at 40 (Telegram's default {@code max_connections}) and 100
 * (its maximum) connections against a <em>freshly started</em> packaged api-service, so that the first phase is what a
 * pod the autoscaler just added serves. The stack's worker delivers the paid orders meanwhile. Then pgbench runs the
 * statements one update needs on the same database, the limit our rate is compared with.
 *
 * <p>Phases: {@code cold} s (30) from the instant {@code /q/health/ready} answers 200, {@code warmup} s (60)
 * unmeasured, {@code duration} s (30) at 40 and at 100 connections with the mix, then {@code single} s (10) of each
 * command alone at 40 connections (CPU per update per command), then pgbench ({@code pgbenchClients} 16, 20 s).
 *
 * <p>Purchases ({@code /buy 3} paid from the wallet): {@code purchaseRounds} (2) closed-loop rounds of {@code duration}
 * s at 40 connections, where latency is only connections ÷ throughput (Little's law). Then an open loop per rate of
 * {@code openRates} (updates/s, comma-separated, "100,300"), {@code duration} s each, as a promotion brings them:
 * updates arrive on a fixed schedule whether or not the earlier ones were answered, at most {@code maxInFlight} (100,
 * Telegram's maximum {@code max_connections}) in flight, the rest queued in order as Telegram queues them; latency
 * counts from the scheduled arrival (the time queued included), so a p99 target can be judged at a given rate. Then
 * the confirmation + pay button flow, closed loop at 40 connections.
 */
public final class WebhookLoad {

    private static final AtomicLong UPDATE_IDS = new AtomicLong(6_000_000_000L);

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        int cold = Bench.intProp("cold", 30);
        int warmup = Bench.intProp("warmup", 60);
        int duration = Bench.intProp("duration", 30);
        int single = Bench.intProp("single", 10);
        int users = Bench.intProp("users", 1000);
        int newUsers = Bench.intProp("newUsers", 100_000);
        List<String> phases =
                List.of(System.getProperty("phases", "mix,purchase").split(","));
        boolean mixPhases = phases.contains("mix");
        boolean purchasePhases = phases.contains("purchase");
        int purchasers = Bench.intProp("purchasers", 600);
        List<Integer> openRates = Arrays.stream(
                        System.getProperty("openRates", "100,300").split(","))
                .map(String::trim)
                .filter(rate -> !rate.isEmpty())
                .map(Integer::valueOf)
                .toList();
        int maxInFlight = Bench.intProp("maxInFlight", 100);
        Bench.header(
                "webhook closed loop at 40 and 100 connections, fresh api-service: first " + cold + " s, then warm");
        // Stars enough for every gift of the run (the fake starts with 1,000,000: 1,000 gifts, then BALANCE_TOO_LOW)
        try (Stack stack = Bench.stack(api -> api.starBalance(1_000_000_000_000L))) {
            List<Long> funded = LongStream.range(0, users)
                    .map(i -> 7_000_000_000L + i)
                    .boxed()
                    .toList();
            long t0 = System.nanoTime();
            Bench.fund(stack.client(), funded, "5000.000000");
            System.out.printf("funded %d users with 5000 USDT each in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);
            System.out.println(
                    "mix: /start 30 % (half from never-seen users), /balance 25 %, /help 20 %, /buy 3 25 % "
                            + "(funded users, paid from the wallet, delivered by the worker meanwhile); every update_id distinct");

            int port = Bench.freePort();
            Path root = Path.of(System.getProperty("premium.projectRoot", "."))
                    .toAbsolutePath()
                    .normalize();
            // the services' JDK, packaging and options, as the Stack runs them (with the AOT cache when it finds one)
            List<String> command = Bench.serviceCommand(root, "api-service", "-Dbench.instance=webhook-" + port);
            System.out.println("fresh api-service: " + String.join(" ", command));
            URI base = URI.create("http://127.0.0.1:" + port);
            long spawned = System.nanoTime();
            try (ServiceProcess api = ServiceProcess.start(
                    "api-service-fresh",
                    command,
                    environment(stack, port),
                    root.resolve("bench/target/logs/api-service-fresh.log"),
                    base)) {
                api.awaitReady(Duration.ofSeconds(60));
                System.out.printf(
                        "fresh api-service (flood limit raised so the bench's users aren't throttled; the "
                                + "guard's Redis round trip still runs): process start → ready %.2f s%n",
                        (System.nanoTime() - spawned) / 1e9);
                long apiPid = ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info()
                                .commandLine()
                                .map(c -> c.contains("-Dbench.instance=webhook-" + port))
                                .orElse(false))
                        .findFirst()
                        .orElseThrow()
                        .pid();
                long workerPid = Bench.pidOf("worker-service");
                Bench.RssSampler apiRss = new Bench.RssSampler("fresh api-service", apiPid);
                Vertx vertx = Vertx.vertx();
                HttpClient http = vertx.createHttpClient(
                        new HttpClientOptions()
                                .setKeepAlive(true)
                                .setDefaultHost("127.0.0.1")
                                .setDefaultPort(port)
                                .setConnectTimeout(2000)
                                .setIdleTimeout(0),
                        new PoolOptions()
                                .setHttp1MaxSize(Math.max(100, maxInFlight))
                                .setMaxWaitQueueSize(-1));
                RequestOptions post = new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setURI("/telegram/webhook")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Telegram-Bot-Api-Secret-Token", stack.webhookSecret())
                        .setTimeout(10_000);
                Supplier<ClosedLoop.Update> mix = () -> mixed(funded, newUsers);
                List<Long> customers = funded.subList(0, Math.min(purchasers, funded.size()));
                Supplier<ClosedLoop.Update> buy = () -> update("/buy 3", buyer(customers));
                // the first seconds of a fresh process serve what the phases measure: the mix, or purchases only
                Supplier<ClosedLoop.Update> opening = mixPhases ? mix : buy;
                String firstName = mixPhases ? "mix" : "/buy 3 (" + customers.size() + " funded customers)";
                List<ClosedLoop.Result> results = new ArrayList<>();
                Instant coldFrom = Instant.now();
                ClosedLoop.Result coldResult = ClosedLoop.run(
                        "first " + cold + " s after ready, 40 connections, " + firstName,
                        http,
                        post,
                        opening,
                        40,
                        cold,
                        apiPid,
                        workerPid);
                results.add(coldResult);
                System.out.println(coldResult.report());
                System.out.println("  " + gifts(stack, coldFrom, Instant.now()));
                ClosedLoop.Result warming = ClosedLoop.run(
                        "warm-up (not counted), 40 connections, " + firstName,
                        http,
                        post,
                        opening,
                        40,
                        warmup,
                        apiPid,
                        workerPid);
                System.out.printf("--- warm-up: %.0f updates/s, %d errors%n", warming.rate(), warming.errors());
                for (int connections : mixPhases ? List.of(40, 100) : List.<Integer>of()) {
                    results.add(ClosedLoop.run(
                            "warm, " + connections + " connections, mix",
                            http,
                            post,
                            mix,
                            connections,
                            duration,
                            apiPid,
                            workerPid));
                    System.out.println(results.get(results.size() - 1).report());
                }
                for (String alone : mixPhases ? List.of("/start", "/help", "/balance", "/buy 3") : List.<String>of()) {
                    ClosedLoop.Result r = ClosedLoop.run(
                            "warm, 40 connections, " + alone + " alone",
                            http,
                            post,
                            () -> update(alone, alone.equals("/start") ? newUser(newUsers) : buyer(funded)),
                            40,
                            single,
                            apiPid,
                            workerPid);
                    System.out.println(r.report());
                }
                List<ClosedLoop.Result> purchases = new ArrayList<>();
                List<OpenLoop.Result> openPurchases = new ArrayList<>();
                ClosedLoop.Result flow = null;
                if (purchasePhases) {
                    if (mixPhases) {
                        ClosedLoop.run("purchase warm-up (not counted)", http, post, buy, 40, 10, apiPid, workerPid);
                    }
                    int rounds = Bench.intProp("purchaseRounds", 2);
                    for (int round = 1; round <= rounds; round++) {
                        Instant from = Instant.now();
                        ClosedLoop.Result r = ClosedLoop.run(
                                "warm purchases, round " + round + ", 40 connections, /buy 3 by " + customers.size()
                                        + " funded customers (paid from the wallet)",
                                http,
                                post,
                                buy,
                                40,
                                duration,
                                apiPid,
                                workerPid);
                        purchases.add(r);
                        System.out.println(r.report());
                        System.out.println("  " + gifts(stack, from, Instant.now()));
                    }
                    for (int rate : openRates) {
                        Instant from = Instant.now();
                        OpenLoop.Result r = OpenLoop.run(
                                "warm purchases, open loop at " + rate + "/s offered, at most " + maxInFlight
                                        + " in flight, /buy 3 by " + customers.size()
                                        + " funded customers (paid from the wallet)",
                                http,
                                post,
                                buy,
                                rate,
                                maxInFlight,
                                duration,
                                apiPid,
                                workerPid);
                        openPurchases.add(r);
                        System.out.println(r.report());
                        System.out.println("  " + gifts(stack, from, Instant.now()));
                    }
                    Instant from = Instant.now();
                    flow = ClosedLoop.run(
                            "warm purchases, 40 connections, confirmation + pay button (to:3 → pw:3), "
                                    + customers.size() + " funded customers",
                            http,
                            post,
                            () -> confirmThenPay(buyer(customers)),
                            40,
                            duration,
                            apiPid,
                            workerPid);
                    System.out.println(flow.report());
                    System.out.println("  " + gifts(stack, from, Instant.now()));
                }
                http.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                String rss = apiRss.report();
                apiRss.close();

                System.out.println("orders by status: " + orderStatuses(stack));
                double purchaseTps = Double.NaN;
                if (purchasePhases) {
                    purchaseTps = Pgbench.run(
                            stack.database(),
                            root.resolve("bench/pgbench/purchase.sql"),
                            Bench.intProp("pgbenchClients", 16),
                            20,
                            List.of(
                                    "-M",
                                    "prepared",
                                    "-D",
                                    "first=" + customers.get(0),
                                    "-D",
                                    "count=" + customers.size()),
                            "a wallet purchase's durable statements, as WalletPurchase issues them; one transaction");
                }
                System.out.println("=== summary");
                if (purchasePhases) {
                    for (ClosedLoop.Result r : purchases) {
                        System.out.printf(
                                "purchases (/buy 3): %.0f/s = %.2f of pgbench's %.0f tps with the purchase's own "
                                        + "statements; api-service CPU %.3f ms per purchase; p99 %.2f ms; %d errors%n",
                                r.rate(),
                                r.rate() / purchaseTps,
                                purchaseTps,
                                r.apiCpuSeconds() * 1000 / Math.max(1, r.answered()),
                                p99(r),
                                r.errors());
                    }
                    for (OpenLoop.Result open : openPurchases) {
                        ClosedLoop.Result r = open.answers();
                        long[] all = sortedLatencies(r);
                        System.out.printf(
                                "open loop at %.0f/s offered (max %d in flight): %.0f purchases/s answered, p50 %.2f ms, "
                                        + "p99 %.2f ms, max %.2f ms, api-service CPU %.3f ms per purchase, %d of them "
                                        + "waited for a slot; %d errors%n",
                                open.offeredRate(),
                                open.maxInFlight(),
                                r.rate(),
                                Bench.percentile(all, 50) / 1e6,
                                Bench.percentile(all, 99) / 1e6,
                                Bench.percentile(all, 100) / 1e6,
                                r.apiCpuSeconds() * 1000 / Math.max(1, r.answered()),
                                open.waited(),
                                r.errors());
                    }
                    int paid = flow.latencies().getOrDefault("pw (pay)", new long[0]).length;
                    System.out.printf(
                            "purchases (confirmation + pay button): %.0f/s (%d paid, %.0f updates/s), api-service CPU "
                                    + "%.3f ms per purchase (both updates), p99 of the pay button %.2f ms, of both %.2f ms; "
                                    + "%d errors%n",
                            paid / flow.seconds(),
                            paid,
                            flow.rate(),
                            flow.apiCpuSeconds() * 1000 / Math.max(1, paid),
                            Bench.percentile(flow.latencies().getOrDefault("pw (pay)", new long[] {0}), 99) / 1e6,
                            p99(flow),
                            flow.errors());
                    if (!mixPhases && !purchases.isEmpty()) {
                        double warm = purchases.stream()
                                .mapToDouble(ClosedLoop.Result::rate)
                                .max()
                                .orElse(Double.NaN);
                        System.out.printf(
                                "first %d s (fresh process, AOT cache as the image starts it): %.0f purchases/s = %.0f %% "
                                        + "of the best warm round; p99 %.2f ms; %d errors%n",
                                cold,
                                coldResult.rate(),
                                100 * coldResult.rate() / warm,
                                p99(coldResult),
                                coldResult.errors());
                    }
                }
                if (!mixPhases) {
                    System.out.println("memory over every phase above: " + rss);
                    return;
                }
                double tps = Pgbench.run(
                        stack.database(),
                        root.resolve("bench/pgbench/update.sql"),
                        Bench.intProp("pgbenchClients", 16),
                        20);
                ClosedLoop.Result first = results.get(0);
                ClosedLoop.Result warm40 = results.get(1);
                ClosedLoop.Result warm100 = results.get(2);
                System.out.printf(
                        "warm 40 connections: %.0f updates/s = %.0f %% of pgbench's %.0f tps; p99 %.2f ms; %d errors%n",
                        warm40.rate(), 100 * warm40.rate() / tps, tps, p99(warm40), warm40.errors());
                System.out.printf(
                        "warm 100 connections: %.0f updates/s (%.2f× the 40-connection rate); p99 %.2f ms; %d errors%n",
                        warm100.rate(), warm100.rate() / warm40.rate(), p99(warm100), warm100.errors());
                System.out.printf(
                        "first %d s: %.0f updates/s = %.0f %% of warm (40 connections); p99 %.2f ms; %d errors%n",
                        cold, first.rate(), 100 * first.rate() / warm40.rate(), p99(first), first.errors());
                System.out.println("memory over every phase above: " + rss);
            }
        }
    }

    private static double p99(ClosedLoop.Result r) {
        return Bench.percentile(sortedLatencies(r), 99) / 1e6;
    }

    /** Every answered update's latency (ns), every command together, sorted. */
    private static long[] sortedLatencies(ClosedLoop.Result r) {
        return r.latencies().values().stream()
                .flatMapToLong(Arrays::stream)
                .sorted()
                .toArray();
    }

    private static Map<String, String> environment(Stack stack, int port) {
        Map<String, String> env = Bench.serviceEnvironment(stack, port);
        env.put("BOT_FLOOD_LIMIT", "1000000");
        return env;
    }

    /** The gifts the fake received in [from, to] (the stack's worker delivering the paid orders meanwhile). */
    private static String gifts(Stack stack, Instant from, Instant to) {
        long n = stack.botApi().calls("giftPremiumSubscription").stream()
                .filter(call -> !call.at().isBefore(from) && !call.at().isAfter(to))
                .count();
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        return String.format(
                "gifts sent by the worker meanwhile: %d in %.1f s = %.1f/s (limit %d/s), 429 so far: %d",
                n,
                seconds,
                n / seconds,
                Bench.telegramRateLimit(),
                stack.botApi().rateLimitedCount());
    }

    private static String orderStatuses(Stack stack) {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                        stack.database().jdbcUrl(),
                        stack.database().user(),
                        stack.database().password());
                java.sql.Statement st = db.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("select status, count(*) from orders group by status order by status")) {
            Map<String, Long> counts = new LinkedHashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts.toString();
        } catch (java.sql.SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** "Buy 3 months for me" pressed, then the reply's pay-from-wallet button: the confirmation flow of the buttons. */
    private static ClosedLoop.Update confirmThenPay(long user) {
        String body = TelegramUpdates.from(user)
                .updateId(UPDATE_IDS.incrementAndGet())
                .firstName("u" + user)
                .username("u" + user)
                .callback("to:3:" + user);
        return new ClosedLoop.Update("to (confirmation)", Buffer.buffer(body), answer -> {
            String pay = payButton(answer);
            if (pay == null) {
                return null;
            }
            String press = TelegramUpdates.from(user)
                    .updateId(UPDATE_IDS.incrementAndGet())
                    .firstName("u" + user)
                    .username("u" + user)
                    .callback(pay);
            return new ClosedLoop.Update("pw (pay)", Buffer.buffer(press));
        });
    }

    /** The pay-from-wallet button's data in a confirmation reply; null when there is none. */
    private static String payButton(String answer) {
        try {
            JsonArray rows =
                    new JsonObject(answer).getJsonObject("reply_markup").getJsonArray("inline_keyboard");
            for (int r = 0; r < rows.size(); r++) {
                JsonArray row = rows.getJsonArray(r);
                for (int b = 0; b < row.size(); b++) {
                    String data = row.getJsonObject(b).getString("callback_data");
                    if (data != null && data.startsWith("pw:")) {
                        return data;
                    }
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static ClosedLoop.Update mixed(List<Long> funded, int newUsers) {
        int dice = ThreadLocalRandom.current().nextInt(100);
        if (dice < 30) {
            return update("/start", dice < 15 ? newUser(newUsers) : buyer(funded));
        }
        return dice < 55
                ? update("/balance", buyer(funded))
                : dice < 75 ? update("/help", buyer(funded)) : update("/buy 3", buyer(funded));
    }

    private static long buyer(List<Long> funded) {
        return funded.get(ThreadLocalRandom.current().nextInt(funded.size()));
    }

    private static long newUser(int newUsers) {
        return 8_000_000_000L + ThreadLocalRandom.current().nextInt(newUsers);
    }

    private static ClosedLoop.Update update(String command, long user) {
        String body = TelegramUpdates.from(user)
                .updateId(UPDATE_IDS.incrementAndGet())
                .firstName("u" + user)
                .username("u" + user)
                .text(command);
        return new ClosedLoop.Update(command, Buffer.buffer(body));
    }
}
