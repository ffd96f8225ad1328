package io.premiumbot.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.premiumbot.e2e.StackRedis;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.queue.JobQueue;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/**
 * SPEC §11 "queue engine alone": enqueue → claim → ack with no-op work, our queue against BullMQ on the same Redis
 * (a leased logical database), alternating rounds.
 *
 * <p>Our side is the worker's own {@link JobQueue} class (LPUSH to ready as api-service does, BLMOVE ready →
 * processing on a separate small claim client, LREM to acknowledge), built on Quarkus' ReactiveRedisDataSource over
 * Vert.x Redis clients sized as the services configure them (api: Quarkus' default pool of 6; worker: 16, claim 2;
 * 24 waiters). The consumer loop reproduces {@code JobConsumer}: one BLMOVE at a time, at most {@code concurrency}
 * jobs in flight, the loop pausing while all slots are busy. BullMQ (bench/bullmq/queue-bench.js) runs a Worker
 * with the same concurrency and adds with the same number of adds in flight.
 *
 * <p>Properties: {@code jobs} per phase (20000), {@code rounds} (3), {@code concurrency} (10), {@code inFlight}
 * enqueues (24).
 */
public final class QueueEngine {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        Path root = Path.of(System.getProperty("premium.projectRoot", ".")).toAbsolutePath().normalize();
        try (StackRedis redis = StackRedis.provision(StackRedis.Settings.fromEnvironment(),
                line -> System.out.println("[redis] " + line))) {
            String url = redis.url();
            for (int round = 1; round <= rounds; round++) {
                System.out.println("--- round " + round + " ---");
                ours(url, jobs, concurrency, inFlight);
                bullmq(root, url, jobs, concurrency, inFlight);
            }
        }
    }

    private static void ours(String url, int jobs, int concurrency, int inFlight) throws Exception {
        Vertx vertx = Vertx.vertx();
        Redis apiClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(6).setMaxPoolWaiting(24));
        Redis workerClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(16).setMaxPoolWaiting(24));
        Redis claimClient = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(2).setMaxPoolWaiting(24));
        ReactiveRedisDataSource apiDs = new ReactiveRedisDataSourceImpl(vertx, apiClient, RedisAPI.api(apiClient));
        ReactiveRedisDataSource workerDs = new ReactiveRedisDataSourceImpl(vertx, workerClient, RedisAPI.api(workerClient));
        ReactiveRedisDataSource claimDs = new ReactiveRedisDataSourceImpl(vertx, claimClient, RedisAPI.api(claimClient));
        JobQueue producer = new JobQueue(apiDs, apiDs, JSON);
        JobQueue worker = new JobQueue(workerDs, claimDs, JSON);
        String workerId = "bench-worker";
        try {
            clean(workerDs, workerId);
            List<String> payloads = payloads(jobs);
            double enqueue = jobs / enqueue(producer, payloads, inFlight);
            double drain = jobs / consume(vertx, worker, workerId, jobs, concurrency, null, 0);
            clean(workerDs, workerId);
            double both = jobs / consume(vertx, worker, workerId, jobs, concurrency, producer, inFlight);
            System.out.printf("ours   (worker JobQueue):  enqueue %8.0f jobs/s | claim+ack (drain) %8.0f jobs/s | "
                    + "enqueue→claim→ack concurrently %8.0f jobs/s%n", enqueue, drain, both);
            clean(workerDs, workerId);
        } finally {
            vertx.closeAndAwait();
        }
    }

    private static List<String> payloads(int jobs) throws Exception {
        List<String> payloads = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            // the shape of io.premiumbot.model.queue.DeliveryJob as api-service serializes it
            payloads.add(JSON.writeValueAsString(java.util.Map.of("orderId", String.format("B%07d", i), "attempt", 1,
                    "enqueuedAt", Instant.now().toString(),
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
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
            queue.enqueue(payload).subscribe().with(ok -> {
                window.release();
                if (done.incrementAndGet() == payloads.size()) {
                    all.complete(null);
                }
            }, failure -> {
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
     * Seconds until {@code jobs} jobs were claimed and acknowledged by a loop shaped like JobConsumer; with a
     * {@code producer}, the jobs are enqueued while it runs.
     */
    private static double consume(Vertx vertx, JobQueue queue, String workerId, int jobs, int concurrency,
            JobQueue producer, int inFlight) throws Exception {
        List<String> produce = producer == null ? List.of() : payloads(jobs);
        Context context = vertx.getOrCreateContext();
        AtomicInteger inFlightJobs = new AtomicInteger();
        AtomicBoolean waitingForSlot = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Void> finished = new CompletableFuture<>();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (!running.get()) {
                stopped.complete(null);
                return;
            }
            if (inFlightJobs.get() >= concurrency) {
                waitingForSlot.set(true);
                if (inFlightJobs.get() >= concurrency || !waitingForSlot.compareAndSet(true, false)) {
                    return;
                }
            }
            queue.claim(workerId, Duration.ofSeconds(2)).subscribe().with(job -> {
                if (job != null) {
                    inFlightJobs.incrementAndGet();
                    // the no-op job: acknowledge at once, then free the slot
                    queue.acknowledge(workerId, job).subscribe().with(v -> {
                        inFlightJobs.decrementAndGet();
                        if (acked.incrementAndGet() == jobs) {
                            running.set(false);
                            finished.complete(null);
                        }
                        if (waitingForSlot.compareAndSet(true, false)) {
                            context.runOnContext(() -> next[0].run());
                        }
                    }, finished::completeExceptionally);
                }
                context.runOnContext(() -> next[0].run());
            }, finished::completeExceptionally);
        };
        long t0 = System.nanoTime();
        context.runOnContext(() -> next[0].run());
        if (producer != null) {
            enqueue(producer, produce, inFlight);
        }
        finished.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the loop's last BLMOVE may still be waiting: let it end, or it would take a job of the next phase
        stopped.get(10, TimeUnit.SECONDS);
        return seconds;
    }

    private static void clean(ReactiveRedisDataSource ds, String workerId) {
        ds.key().del(QueueKeys.READY, QueueKeys.processing(workerId), QueueKeys.DELAYED, QueueKeys.DEAD)
                .await().atMost(Duration.ofSeconds(10));
    }

    private static void bullmq(Path root, String url, int jobs, int concurrency, int inFlight) throws Exception {
        Path dir = root.resolve("bench/bullmq");
        Process node = new ProcessBuilder("node", "queue-bench.js", url, String.valueOf(jobs), String.valueOf(concurrency),
                String.valueOf(inFlight)).directory(dir.toFile()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
            }
        }
        if (!node.waitFor(300, TimeUnit.SECONDS) || node.exitValue() != 0) {
            throw new IllegalStateException("the BullMQ side failed (did you run npm ci in bench/bullmq?)");
        }
    }
}
