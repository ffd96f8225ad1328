package io.premiumbot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.premiumbot.e2e.StackRedis;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.queue.ClaimLoop;
import io.premiumbot.worker.queue.JobQueue;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/**
 * "queue engine alone": enqueue → claim → ack with no-op work, our queue against BullMQ on the same Redis
 * (a leased logical database), alternating rounds.
 *
 * <p>Our side is the worker's own {@link JobQueue} class (LPUSH to ready as api-service does, BLMOVE ready →
 * processing on a separate small claim client, LREM to acknowledge) driven by the worker's own {@link ClaimLoop}
 * (claims for every free slot in one Lua call, a finished job acknowledged and the next claimed in one more, BLMOVE
 * only when ready is empty), built on Quarkus' ReactiveRedisDataSource over
 * Vert.x Redis clients sized as the services configure them (api: Quarkus' default pool of 6; worker: 16, claim 2;
 * 24 waiters), at most {@code concurrency} jobs in flight. BullMQ (bench/bullmq/queue-bench.js) runs a Worker
 * with the same concurrency and adds with the same number of adds in flight. Each round first measures Redis'
 * own ceiling with {@code redis-benchmark} (LPUSH, LMOVE) on the same server, then prints ours ÷ BullMQ per phase.
 *
 * <p>Properties: {@code jobs} per phase (20000), {@code rounds} (3), {@code concurrency} (10), {@code inFlight}
 * enqueues (24).
 */
public final class QueueEngine {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(1);
    private static final String[] PHASES = {"enqueue", "claim+ack", "concurrent"};

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        int jobs = Bench.intProp("jobs", 20000);
        int rounds = Bench.intProp("rounds", 3);
        int concurrency = Bench.intProp("concurrency", 10);
        int inFlight = Bench.intProp("inFlight", 24);
        Bench.header("queue engine: " + jobs + " jobs per phase, concurrency " + concurrency + ", " + inFlight
                + " enqueues in flight, " + rounds + " rounds each");
        Path root = Path.of(System.getProperty("premium.projectRoot", "."))
                .toAbsolutePath()
                .normalize();
        try (StackRedis redis = StackRedis.provision(
                StackRedis.Settings.fromEnvironment(), line -> System.out.println("[redis] " + line))) {
            String url = redis.url();
            for (int round = 1; round <= rounds; round++) {
                System.out.println("--- round " + round + " ---");
                double[] ceiling = redisBenchmark(url);
                double[] ours = ours(url, jobs, concurrency, inFlight);
                double[] bullmq = bullmq(root, url, jobs, concurrency, inFlight);
                for (int phase = 0; phase < PHASES.length; phase++) {
                    // enqueue is bounded by LPUSH, consuming by LMOVE (plus the ack: 50 % of LMOVE is the ceiling)
                    System.out.printf(
                            "round %d %-10s ours ÷ BullMQ = %.2f×   ours = %4.1f %% of redis-benchmark %s%n",
                            round,
                            PHASES[phase],
                            ours[phase] / bullmq[phase],
                            100 * ours[phase] / ceiling[phase == 0 ? 0 : 1],
                            phase == 0 ? "LPUSH" : "LMOVE");
                }
            }
        }
    }

    /** Jobs per second of enqueue, claim+ack and both at once. */
    private static double[] ours(String url, int jobs, int concurrency, int inFlight) throws Exception {
        Vertx vertx = Vertx.vertx();
        Redis apiClient = Redis.createClient(
                vertx,
                new RedisOptions().setConnectionString(url).setMaxPoolSize(6).setMaxPoolWaiting(24));
        Redis workerClient = Redis.createClient(
                vertx,
                new RedisOptions().setConnectionString(url).setMaxPoolSize(16).setMaxPoolWaiting(24));
        Redis claimClient = Redis.createClient(
                vertx,
                new RedisOptions().setConnectionString(url).setMaxPoolSize(2).setMaxPoolWaiting(24));
        ReactiveRedisDataSource apiDs = new ReactiveRedisDataSourceImpl(vertx, apiClient, RedisAPI.api(apiClient));
        ReactiveRedisDataSource workerDs =
                new ReactiveRedisDataSourceImpl(vertx, workerClient, RedisAPI.api(workerClient));
        ReactiveRedisDataSource claimDs =
                new ReactiveRedisDataSourceImpl(vertx, claimClient, RedisAPI.api(claimClient));
        JobQueue producer = new JobQueue(apiDs, apiDs);
        JobQueue worker = new JobQueue(workerDs, claimDs);
        String workerId = "bench-worker";
        try {
            clean(workerDs, workerId);
            List<String> payloads = payloads(jobs);
            double enqueue = jobs / enqueue(producer, payloads, inFlight);
            double drain = jobs / consume(vertx, worker, workerId, jobs, concurrency, null, 0);
            clean(workerDs, workerId);
            double both = jobs / consume(vertx, worker, workerId, jobs, concurrency, producer, inFlight);
            System.out.printf(
                    "ours   (worker JobQueue):  enqueue %8.0f jobs/s | claim+ack (drain) %8.0f jobs/s | "
                            + "enqueue→claim→ack concurrently %8.0f jobs/s%n",
                    enqueue, drain, both);
            clean(workerDs, workerId);
            return new double[] {enqueue, drain, both};
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static List<String> payloads(int jobs) throws Exception {
        List<String> payloads = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            payloads.add(DeliveryJob.first(
                            String.format("B%07d", i),
                            Instant.now(),
                            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .toJson());
        }
        return payloads;
    }

    /** Seconds to LPUSH every payload with at most {@code inFlight} commands outstanding. */
    private static double enqueue(JobQueue queue, List<String> payloads, int inFlight) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger failures = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        for (String payload : payloads) {
            window.acquire();
            queue.enqueue(payload)
                    .subscribe()
                    .with(
                            ok -> {
                                window.release();
                                if (done.incrementAndGet() == payloads.size()) {
                                    all.complete(null);
                                }
                            },
                            failure -> {
                                failures.incrementAndGet();
                                window.release();
                                if (done.incrementAndGet() == payloads.size()) {
                                    all.complete(null);
                                }
                            });
        }
        all.get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failures.get() > 0) {
            System.out.println("enqueue failures: " + failures.get());
        }
        return seconds;
    }

    /**
     * Seconds until {@code jobs} jobs were claimed and acknowledged by the worker's own {@link ClaimLoop} (claims
     * for every free slot in one call, BLMOVE only on an empty ready); with a {@code producer}, the jobs are
     * enqueued while it runs.
     */
    private static double consume(
            Vertx vertx, JobQueue queue, String workerId, int jobs, int concurrency, JobQueue producer, int inFlight)
            throws Exception {
        List<String> produce = producer == null ? List.of() : payloads(jobs);
        Context context = vertx.getOrCreateContext();
        AtomicInteger acked = new AtomicInteger();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        ClaimLoop loop = new ClaimLoop(
                queue,
                workerId,
                concurrency,
                CLAIM_TIMEOUT,
                context.getDelegate(),
                // the no-op job: acknowledge at once (claiming the next in the same call), as JobHandler does
                (job, slot) -> slot.acknowledge()
                        .subscribe()
                        .with(
                                v -> {
                                    slot.release();
                                    if (acked.incrementAndGet() == jobs) {
                                        finished.complete(null);
                                    }
                                },
                                finished::completeExceptionally));
        long t0 = System.nanoTime();
        loop.start();
        if (producer != null) {
            enqueue(producer, produce, inFlight);
        }
        finished.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        loop.stop();
        // the loop's last BLMOVE may still be waiting: let it end, or it would take a job of the next phase
        Thread.sleep(CLAIM_TIMEOUT.toMillis() + 200);
        return seconds;
    }

    private static void clean(ReactiveRedisDataSource ds, String workerId) {
        ds.key()
                .del(QueueKeys.READY, QueueKeys.processing(workerId), QueueKeys.DELAYED, QueueKeys.DEAD)
                .await()
                .atMost(Duration.ofSeconds(10));
    }

    /** BullMQ's jobs per second of enqueue, claim+ack and both at once, read from its line. */
    private static double[] bullmq(Path root, String url, int jobs, int concurrency, int inFlight) throws Exception {
        Path dir = root.resolve("bench/bullmq");
        Process node = new ProcessBuilder(
                        "node",
                        "queue-bench.js",
                        url,
                        String.valueOf(jobs),
                        String.valueOf(concurrency),
                        String.valueOf(inFlight))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        double[] rates = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                if (line.startsWith("bullmq ")) {
                    rates = rates(line);
                }
            }
        }
        if (!node.waitFor(300, TimeUnit.SECONDS) || node.exitValue() != 0 || rates == null) {
            throw new IllegalStateException("the BullMQ side failed (did you run npm ci in bench/bullmq?)");
        }
        return rates;
    }

    private static double[] rates(String line) {
        Matcher numbers = Pattern.compile("(\\d+) jobs/s").matcher(line);
        double[] rates = new double[PHASES.length];
        for (int i = 0; i < rates.length && numbers.find(); i++) {
            rates[i] = Double.parseDouble(numbers.group(1));
        }
        return rates;
    }

    /**
     * Redis' own ceiling on this machine, in this run: {@code redis-benchmark -c 50} LPUSH and LMOVE (a list rotated
     * onto itself, so every call really moves an element) on the same server; requests per second.
     */
    private static double[] redisBenchmark(String url) throws Exception {
        URI uri = URI.create(url);
        String db = uri.getPath() == null || uri.getPath().length() <= 1
                ? "0"
                : uri.getPath().substring(1);
        String key = QueueKeys.HASH_TAG + ":bench:lmove";
        double lpush = redisBenchmark(uri, db, "-t", "lpush");
        runRedisBenchmark(uri, db, "-r", "1", "-n", "1000", "rpush", key, "job");
        double lmove = redisBenchmark(uri, db, "lmove", key, key, "RIGHT", "LEFT");
        runRedisBenchmark(uri, db, "-n", "1", "del", key);
        System.out.printf(
                "redis-benchmark -c 50 -n 200000 (same Redis, this round): LPUSH %.0f/s, LMOVE %.0f/s%n", lpush, lmove);
        return new double[] {lpush, lmove};
    }

    private static double redisBenchmark(URI uri, String db, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", "50", "-n", "200000"));
        args.addAll(List.of(command));
        String out = runRedisBenchmark(uri, db, args.toArray(String[]::new));
        Matcher rate = Pattern.compile("([0-9.]+) requests per second").matcher(out);
        if (!rate.find()) {
            throw new IllegalStateException("redis-benchmark printed no rate: " + out);
        }
        return Double.parseDouble(rate.group(1));
    }

    private static String runRedisBenchmark(URI uri, String db, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "redis-benchmark", "-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "--dbnum", db, "-q"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("redis-benchmark failed: " + out);
        }
        return out;
    }
}
