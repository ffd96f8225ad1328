package io.premiumbot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import io.premiumbot.e2e.Stack;
import io.premiumbot.e2e.StackClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * SPEC §11 "webhook under a promotion spike": an open-loop load at a fixed rate against the packaged api-service's
 * {@code POST /telegram/webhook} with the right secret. Every request has a scheduled send time; its latency is
 * measured from that time (not from when it actually went out), so a stalled server is charged for the requests
 * queued behind the stall (no coordinated omission). Also samples both services' RSS while the load runs.
 *
 * <p>Properties: {@code rate} (2000/s), {@code warmup} s (20, ramping from rate/10 to rate), {@code duration} s (30),
 * {@code users} funded buyers (500), {@code newUsers} other ids sending /start (20000).
 */
public final class WebhookLoad {

    private record Request(String command, Buffer body) {
    }

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        int rate = Bench.intProp("rate", 2000);
        int warmup = Bench.intProp("warmup", 20);
        int duration = Bench.intProp("duration", 30);
        int users = Bench.intProp("users", 500);
        int newUsers = Bench.intProp("newUsers", 20000);
        Bench.header("webhook open-loop load: " + rate + " updates/s for " + duration + " s after " + warmup + " s warm-up");
        try (Stack stack = Bench.stack(api -> { })) {
            StackClient client = stack.client();
            List<Long> funded = LongStream.range(0, users).map(i -> 7_000_000_000L + i).boxed().toList();
            long t0 = System.nanoTime();
            Bench.fund(client, funded, "5000.000000");
            System.out.printf("funded %d users with 5000 USDT each in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);

            // every update is built before the clock starts: the generator only sends
            SplittableRandom random = new SplittableRandom(42);
            int warmupCount = (int) ((rate / 10.0 + rate) / 2 * warmup);
            int total = warmupCount + rate * duration;
            List<Request> requests = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                int dice = random.nextInt(100);
                long buyer = funded.get(random.nextInt(funded.size()));
                String command;
                long user;
                if (dice < 30) {
                    command = "/start";
                    user = dice < 15 ? 8_000_000_000L + random.nextInt(newUsers) : buyer;
                } else if (dice < 55) {
                    command = "/balance";
                    user = buyer;
                } else if (dice < 75) {
                    command = "/help";
                    user = buyer;
                } else {
                    command = "/buy 3";
                    user = buyer;
                }
                requests.add(new Request(command, Buffer.buffer(StackClient.textUpdate(user, "u" + user, "en", command))));
            }
            System.out.println("mix: /start 30 % (half from new users), /balance 25 %, /help 20 %, /buy 3 25 % (funded users); "
                    + total + " distinct update_ids");

            Vertx vertx = Vertx.vertx();
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                    .setDefaultHost(stack.apiUri().getHost()).setDefaultPort(stack.apiUri().getPort())
                    .setConnectTimeout(2000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
            RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setURI("/telegram/webhook")
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Telegram-Bot-Api-Secret-Token", stack.webhookSecret())
                    .setTimeout(10_000);

            long[] latencies = new long[total];
            String[] commands = new String[total];
            AtomicInteger errors = new AtomicInteger();
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            CountDownLatch finished = new CountDownLatch(total);
            AtomicLong lastCompletion = new AtomicLong();

            try (Bench.RssSampler apiRss = new Bench.RssSampler("api-service", Bench.pidOf("api-service"));
                    Bench.RssSampler workerRss = new Bench.RssSampler("worker-service", Bench.pidOf("worker-service"))) {
                long start = System.nanoTime() + 50_000_000L;
                long[] scheduled = new long[total];
                // warm-up ramps linearly from rate/10 to rate, then the fixed rate
                double t = 0;
                for (int i = 0; i < total; i++) {
                    scheduled[i] = start + (long) (t * 1e9);
                    double currentRate = i < warmupCount ? rate / 10.0 + (rate - rate / 10.0) * (t / warmup) : rate;
                    t += 1.0 / currentRate;
                }
                long measureFrom = scheduled[Math.min(warmupCount, total - 1)];
                long apiPid = Bench.pidOf("api-service");
                long workerPid = Bench.pidOf("worker-service");
                Bench.CpuSnapshot cpuBefore = null;
                for (int i = 0; i < total; i++) {
                    if (i == warmupCount) {
                        cpuBefore = new Bench.CpuSnapshot(apiPid, workerPid);
                    }
                    long due = scheduled[i];
                    long wait = due - System.nanoTime();
                    if (wait > 20_000) {
                        LockSupport.parkNanos(wait);
                    }
                    final int index = i;
                    Request request = requests.get(i);
                    commands[i] = request.command();
                    http.request(post).compose(req -> req.send(request.body()))
                            .compose(resp -> resp.body().map(body -> resp.statusCode()))
                            .onComplete(result -> {
                                long now = System.nanoTime();
                                latencies[index] = now - due;
                                lastCompletion.accumulateAndGet(now, Math::max);
                                String outcome = result.succeeded() ? String.valueOf(result.result())
                                        : result.cause().getClass().getSimpleName();
                                if (!result.succeeded() || result.result() != 200) {
                                    errors.incrementAndGet();
                                    latencies[index] = -latencies[index] - 1;
                                }
                                outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                                finished.countDown();
                            });
                }
                long sentAt = System.nanoTime();
                String cpu = cpuBefore == null ? "" : new Bench.CpuSnapshot(apiPid, workerPid).since(cpuBefore);
                boolean all = finished.await(30, TimeUnit.SECONDS);
                System.out.printf("send phase took %.2f s for %d requests (schedule %.2f s)%n", (sentAt - start) / 1e9,
                        total, (scheduled[total - 1] - start) / 1e9);
                if (!all) {
                    System.out.println("NOT ALL ANSWERED within 30 s: " + finished.getCount() + " outstanding");
                }
                int measured = total - warmupCount;
                long[] ok = Arrays.stream(latencies, warmupCount, total).filter(l -> l >= 0).sorted().toArray();
                long errorsMeasured = Arrays.stream(latencies, warmupCount, total).filter(l -> l < 0).count();
                double span = (Math.max(lastCompletion.get(), scheduled[total - 1]) - measureFrom) / 1e9;
                System.out.println("--- measured phase (after warm-up) ---");
                System.out.printf("offered %d updates/s for %d s: %d requests, %d answered 200, %d errors; achieved %.0f answers/s%n",
                        rate, duration, measured, ok.length, errorsMeasured, ok.length / span);
                System.out.println("latency from scheduled send: " + Bench.ms(ok));
                Map<String, List<Long>> byCommand = new TreeMap<>();
                for (int i = warmupCount; i < total; i++) {
                    if (latencies[i] >= 0) {
                        byCommand.computeIfAbsent(commands[i], k -> new ArrayList<>()).add(latencies[i]);
                    }
                }
                byCommand.forEach((cmd, values) -> System.out.println("  " + cmd + ": "
                        + Bench.ms(values.stream().mapToLong(Long::longValue).sorted().toArray())));
                System.out.println("all outcomes (warm-up included): " + outcomes + ", errors " + errors.get());
                System.out.println(cpu + " (measured phase's send window)");
                System.out.println(apiRss.report());
                System.out.println(workerRss.report());
            }
            http.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Bench.sleep(Duration.ofMillis(100));
        }
    }
}
