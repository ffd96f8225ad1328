package io.premiumbot.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;

/**
 * A promotion's traffic: updates arrive at a fixed rate whether or not the earlier ones were answered (open loop), and
 * Telegram sends at most {@code maxInFlight} of them at a time (its {@code max_connections}); an update that finds no
 * free slot waits in a FIFO, as Telegram queues it. Latency counts from the update's scheduled arrival, so the time it
 * waited for a slot is in it (no coordinated omission). Records latency per command, the api-service's CPU time over
 * the phase, how many arrivals waited for a slot and the longest the queue got.
 */
final class OpenLoop {

    /** What one open-loop phase measured: the answers as a closed loop reports them, and how often Telegram queued. */
    record Result(
            ClosedLoop.Result answers,
            double offeredRate,
            int maxInFlight,
            long arrivals,
            long waited,
            int longestQueue) {

        String report() {
            return answers.report()
                    + String.format(
                            "%n  %d arrivals offered at %.0f/s, at most %d in flight: %d waited for a slot "
                                    + "(longest queue %d)",
                            arrivals, offeredRate, maxInFlight, waited, longestQueue);
        }
    }

    /** An update and the instant (System.nanoTime) it was due to arrive. */
    private record Arrival(long at, ClosedLoop.Update update) {}

    private final HttpClient http;
    private final RequestOptions post;
    private final int maxInFlight;
    private final long arrivals;
    // everything below is guarded by this
    private final ArrayDeque<Arrival> waiting = new ArrayDeque<>();
    private final Map<String, List<Long>> latencies = new TreeMap<>();
    private final Map<String, Integer> failures = new TreeMap<>();
    private int inFlight;
    private long completed;
    private int errors;
    private long waited;
    private int longestQueue;
    /** Set once the phase is over: answers arriving later are neither counted nor followed by a queued update. */
    private boolean closed;

    private OpenLoop(HttpClient http, RequestOptions post, int maxInFlight, long arrivals) {
        this.http = http;
        this.post = post;
        this.maxInFlight = maxInFlight;
        this.arrivals = arrivals;
    }

    static Result run(
            String name,
            HttpClient http,
            RequestOptions post,
            Supplier<ClosedLoop.Update> next,
            double ratePerSecond,
            int maxInFlight,
            double seconds,
            long apiPid,
            long workerPid)
            throws InterruptedException {
        long arrivals = (long) (seconds * ratePerSecond);
        OpenLoop loop = new OpenLoop(http, post, maxInFlight, arrivals);
        double interval = 1e9 / ratePerSecond;
        Bench.CpuSnapshot cores = new Bench.CpuSnapshot(apiPid, workerPid);
        double cpuBefore = Bench.cpuSeconds(apiPid);
        long start = System.nanoTime();
        // the i-th arrival is due at start + i × interval, whenever the previous ones were issued: a late wake-up
        // issues every arrival whose time has come at once, and the schedule never drifts
        for (long i = 0; i < arrivals; i++) {
            long at = start + Math.round(i * interval);
            for (long early = at - System.nanoTime(); early > 0; early = at - System.nanoTime()) {
                LockSupport.parkNanos(early);
                if (Thread.interrupted()) {
                    throw new InterruptedException(name + ": interrupted");
                }
            }
            loop.arrive(new Arrival(at, next.get()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Map<String, long[]> sorted = new TreeMap<>();
        Map<String, Integer> failures;
        int errors;
        long waited;
        int longestQueue;
        synchronized (loop) {
            for (long left = deadline - System.nanoTime();
                    loop.completed < arrivals && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(loop, left);
            }
            loop.closed = true;
            long unanswered = arrivals - loop.completed;
            if (unanswered > 0) {
                loop.failures.put("not answered 15 s after the last arrival", (int) unanswered);
            }
            errors = loop.errors + (int) unanswered;
            failures = new TreeMap<>(loop.failures);
            waited = loop.waited;
            longestQueue = loop.longestQueue;
            loop.latencies.forEach((k, v) ->
                    sorted.put(k, v.stream().mapToLong(Long::longValue).sorted().toArray()));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpu = Bench.cpuSeconds(apiPid) - cpuBefore;
        String usage = new Bench.CpuSnapshot(apiPid, workerPid).since(cores);
        ClosedLoop.Result answers = new ClosedLoop.Result(name, wall, sorted, errors, failures, cpu, usage);
        return new Result(answers, ratePerSecond, maxInFlight, arrivals, waited, longestQueue);
    }

    /** An update arrives: sent at once when a slot is free, otherwise queued behind the ones already waiting. */
    private void arrive(Arrival arrival) {
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                waiting.add(arrival);
                waited++;
                longestQueue = Math.max(longestQueue, waiting.size());
                return;
            }
            inFlight++;
        }
        send(arrival);
    }

    private void send(Arrival arrival) {
        http.request(post)
                .compose(req -> req.send(arrival.update().body()))
                .compose(resp -> resp.body().map(body -> resp.statusCode() == 200))
                .onComplete(result -> answered(arrival, result));
    }

    /** Records the answer; its slot goes to the first update waiting, if any. */
    private void answered(Arrival arrival, AsyncResult<Boolean> result) {
        long took = System.nanoTime() - arrival.at();
        Arrival first;
        synchronized (this) {
            if (closed) {
                return;
            }
            completed++;
            if (result.succeeded() && result.result()) {
                latencies
                        .computeIfAbsent(arrival.update().command(), k -> new ArrayList<>())
                        .add(took);
            } else {
                errors++;
                failures.merge(
                        result.succeeded()
                                ? "HTTP not 200"
                                : result.cause().getClass().getSimpleName(),
                        1,
                        Integer::sum);
            }
            first = waiting.poll();
            if (first == null) {
                inFlight--;
            }
            if (completed == arrivals) {
                notifyAll();
            }
        }
        if (first != null) {
            send(first);
        }
    }
}
