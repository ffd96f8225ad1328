package io.premiumbot.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * Telegram's way of calling a webhook: at most {@code connections} requests in flight, the next sent the moment an
 * answer arrives (closed loop, Telegram queues the rest on its side). Records latency per command and the
 * api-service's CPU time over the answered updates.
 */
final class ClosedLoop {

    /**
     * One update to send: its command (for the per-command report) and its body; {@code then}, when set, makes the
     * lane's next update from this one's answer (a button pressed under the reply), null for none.
     */
    record Update(String command, Buffer body, Function<String, Update> then) {

        Update(String command, Buffer body) {
            this(command, body, null);
        }
    }

    /** What one phase measured. */
    record Result(
            String name,
            double seconds,
            Map<String, long[]> latencies,
            int errors,
            Map<String, Integer> failures,
            double apiCpuSeconds,
            String cores) {

        int answered() {
            return latencies.values().stream().mapToInt(l -> l.length).sum();
        }

        double rate() {
            return answered() / seconds;
        }

        String report() {
            StringBuilder out = new StringBuilder(String.format(
                    "--- %s: %d answered in %.1f s = %.0f updates/s, %d errors %s; api-service CPU %.3f ms/update%n",
                    name,
                    answered(),
                    seconds,
                    rate(),
                    errors,
                    failures,
                    apiCpuSeconds * 1000 / Math.max(1, answered())));
            long[] all = latencies.values().stream()
                    .flatMapToLong(java.util.Arrays::stream)
                    .sorted()
                    .toArray();
            out.append("  all: ").append(Bench.ms(all)).append('\n');
            latencies.forEach((command, values) -> out.append(
                    String.format("  %s: %.0f/s, %s%n", command, values.length / seconds, Bench.ms(values))));
            out.append("  ").append(cores);
            return out.toString();
        }
    }

    private ClosedLoop() {}

    static Result run(
            String name,
            HttpClient http,
            RequestOptions post,
            Supplier<Update> next,
            int connections,
            double seconds,
            long apiPid,
            long workerPid)
            throws InterruptedException {
        Map<String, List<Long>> latencies = new TreeMap<>();
        Map<String, Integer> failures = new TreeMap<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch lanesDone = new CountDownLatch(connections);
        Bench.CpuSnapshot cores = new Bench.CpuSnapshot(apiPid, workerPid);
        double cpuBefore = Bench.cpuSeconds(apiPid);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (int lane = 0; lane < connections; lane++) {
            new Runnable() {
                /** The answer's follow-up (a button of the reply), sent before anything new. */
                private Update pending;

                @Override
                public void run() {
                    if (System.nanoTime() >= end) {
                        lanesDone.countDown();
                        return;
                    }
                    Update update = pending != null ? pending : next.get();
                    pending = null;
                    long sent = System.nanoTime();
                    http.request(post)
                            .compose(req -> req.send(update.body()))
                            .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 ? body.toString() : null))
                            .onComplete(result -> {
                                long took = System.nanoTime() - sent;
                                if (result.succeeded() && result.result() != null && update.then() != null) {
                                    pending = update.then().apply(result.result());
                                }
                                synchronized (latencies) {
                                    if (result.succeeded() && result.result() != null) {
                                        latencies
                                                .computeIfAbsent(update.command(), k -> new ArrayList<>())
                                                .add(took);
                                    } else {
                                        errors.incrementAndGet();
                                        failures.merge(
                                                result.succeeded()
                                                        ? "HTTP not 200"
                                                        : result.cause()
                                                                .getClass()
                                                                .getSimpleName(),
                                                1,
                                                Integer::sum);
                                    }
                                }
                                this.run();
                            });
                }
            }.run();
        }
        if (!lanesDone.await((long) seconds + 15, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + ": requests still outstanding 15 s after the phase");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = Bench.cpuSeconds(apiPid) - cpuBefore;
        String usage = new Bench.CpuSnapshot(apiPid, workerPid).since(cores);
        Map<String, long[]> sorted = new TreeMap<>();
        synchronized (latencies) {
            latencies.forEach((k, v) ->
                    sorted.put(k, v.stream().mapToLong(Long::longValue).sorted().toArray()));
        }
        return new Result(name, wall, sorted, errors.get(), failures, cpu, usage);
    }
}
