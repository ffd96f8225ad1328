package io.premiumbot.worker.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.list.Position;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The consume side of the delivery queue (docs/queue.md). A job is always in exactly one place: ready, a worker's
 * processing list, the delayed set or the dead list; every move between two of them is one atomic step
 * (BLMOVE, LMOVE or a Lua script over hash-tagged keys). Jobs travel as the exact JSON text api-service pushed, so
 * acknowledging is an LREM of that text.
 */
@ApplicationScoped
public class JobQueue {

    /** Ready → processing, up to ARGV[1] jobs in one call, each move an LMOVE as BLMOVE would make it. */
    private static final RedisScript CLAIM_UP_TO = new RedisScript("""
            local jobs = {}
            for i = 1, tonumber(ARGV[1]) do
              local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
              if not job then break end
              jobs[i] = job
            end
            return jobs""");

    /**
     * Acknowledges ARGV[1] (LREM from processing) and moves up to ARGV[2] jobs ready → processing, in one call:
     * a busy worker pays one round trip per job. Returns {removed, {jobs}}.
     */
    private static final RedisScript ACKNOWLEDGE_AND_CLAIM = new RedisScript("""
            local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
            local jobs = {}
            for i = 1, tonumber(ARGV[2]) do
              local job = redis.call('LMOVE', KEYS[2], KEYS[1], 'RIGHT', 'LEFT')
              if not job then break end
              jobs[i] = job
            end
            return {removed, jobs}""");

    /** Processing → delayed, only if this worker still holds it (the reaper may have taken it back). */
    private static final RedisScript RETRY_LATER = new RedisScript("""
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
            return 1""");

    /** Processing → dead, with the same rule. */
    private static final RedisScript BURY = new RedisScript("""
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
            redis.call('LPUSH', KEYS[2], ARGV[2])
            return 1""");

    /** Delayed → ready for every job now due, a bounded batch at a time. */
    private static final RedisScript PROMOTE_DUE = new RedisScript("""
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            for _, job in ipairs(due) do
              redis.call('ZREM', KEYS[1], job)
              redis.call('LPUSH', KEYS[2], job)
            end
            return #due""");

    /** A dead worker's processing list → the front of ready, unless its heartbeat came back meanwhile. */
    private static final RedisScript REAP = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
            local moved = 0
            while redis.call('LMOVE', KEYS[2], KEYS[3], 'RIGHT', 'RIGHT') do moved = moved + 1 end
            redis.call('SREM', KEYS[4], ARGV[1])
            return moved""");

    /** Everything in one processing list → the front of ready. */
    private static final RedisScript RETURN_ALL = new RedisScript("""
            local moved = 0
            while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do moved = moved + 1 end
            return moved""");

    /** A clean exit: drop the heartbeat so reapers act at once; unregister only if nothing is left held. */
    private static final RedisScript RETIRE = new RedisScript("""
            redis.call('DEL', KEYS[1])
            if redis.call('LLEN', KEYS[2]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) return 1 end
            return 0""");

    private static final int PROMOTE_BATCH = 500;

    private final ReactiveRedisDataSource redis;
    private final ReactiveRedisDataSource claimRedis;

    public JobQueue(ReactiveRedisDataSource redis, @RedisClientName("claim") ReactiveRedisDataSource claimRedis) {
        this.redis = redis;
        this.claimRedis = claimRedis;
    }

    /** Waits up to {@code timeout} for a job and moves it into this worker's processing list; null when none came. */
    public Uni<String> claim(String workerId, Duration timeout) {
        return claimRedis
                .list(String.class)
                .blmove(QueueKeys.READY, QueueKeys.processing(workerId), Position.RIGHT, Position.LEFT, timeout);
    }

    /** Whether the job is still in this worker's processing list: not reaped, not taken back. */
    public Uni<Boolean> holds(String workerId, String job) {
        return redis.execute("LPOS", QueueKeys.processing(workerId), job).map(position -> position != null);
    }

    /**
     * Moves up to {@code max} jobs from ready into this worker's processing list at once, without waiting; empty
     * when ready is. One round trip for as many claims as the worker has free slots.
     */
    public Uni<List<String>> claimUpTo(String workerId, int max) {
        return eval(CLAIM_UP_TO, List.of(QueueKeys.READY, QueueKeys.processing(workerId)), Integer.toString(max))
                .map(JobQueue::strings);
    }

    @WithSpan("JobQueue.acknowledge")
    public Uni<Void> acknowledge(String workerId, String job) {
        return redis.list(String.class)
                .lrem(QueueKeys.processing(workerId), 1, job)
                .replaceWithVoid();
    }

    /**
     * Acknowledges the held {@code job} and claims up to {@code max} more into this worker's processing list in the
     * same atomic call (no job is ever in two places or none). The claimed jobs are this worker's from then on, like
     * those of {@link #claimUpTo}.
     */
    @WithSpan("JobQueue.acknowledgeAndClaim")
    public Uni<AcknowledgedAndClaimed> acknowledgeAndClaim(String workerId, String job, int max) {
        return eval(
                        ACKNOWLEDGE_AND_CLAIM,
                        List.of(QueueKeys.processing(workerId), QueueKeys.READY),
                        job,
                        Integer.toString(max))
                .map(response -> new AcknowledgedAndClaimed(response.get(0).toLong() == 1, strings(response.get(1))));
    }

    /** Replaces the held job by {@code next} in the delayed set, due at {@code due}. False when no longer held. */
    @WithSpan("JobQueue.retryLater")
    public Uni<Boolean> retryLater(String workerId, String job, String next, Instant due) {
        return eval(
                        RETRY_LATER,
                        List.of(QueueKeys.processing(workerId), QueueKeys.DELAYED),
                        job,
                        next,
                        Long.toString(due.toEpochMilli()))
                .map(response -> response.toLong() == 1);
    }

    /** Moves the held job to the dead list, recorded as {@code deadRecord}. */
    @WithSpan("JobQueue.bury")
    public Uni<Boolean> bury(String workerId, String job, String deadRecord) {
        return eval(BURY, List.of(QueueKeys.processing(workerId), QueueKeys.DEAD), job, deadRecord)
                .map(response -> response.toLong() == 1);
    }

    public Uni<Long> promoteDue(Instant now) {
        return eval(
                        PROMOTE_DUE,
                        List.of(QueueKeys.DELAYED, QueueKeys.READY),
                        Long.toString(now.toEpochMilli()),
                        Integer.toString(PROMOTE_BATCH))
                .map(Response::toLong);
    }

    /** Marks this worker alive for {@code ttl}; the heartbeat is written before the registration, so no reaper sees one without the other. */
    public Uni<Void> heartbeat(String workerId, Duration ttl) {
        return redis.value(String.class)
                .psetex(
                        QueueKeys.heartbeat(workerId),
                        ttl.toMillis(),
                        Instant.now().toString())
                .chain(() -> redis.set(String.class).sadd(QueueKeys.WORKERS, workerId))
                .replaceWithVoid();
    }

    /** Whether the worker's heartbeat is current: a worker without one is dead and its deliveries may be settled. */
    public Uni<Boolean> isAlive(String workerId) {
        return redis.key(String.class).exists(QueueKeys.heartbeat(workerId));
    }

    /** Returns the jobs of every registered worker without a heartbeat to ready; the number of jobs returned. */
    public Uni<Long> reapDeadWorkers(String selfId) {
        return redis.set(String.class)
                .smembers(QueueKeys.WORKERS)
                .onItem()
                .transformToMulti(workers -> Multi.createFrom().iterable(workersOtherThan(workers, selfId)))
                .onItem()
                .transformToUniAndConcatenate(worker -> eval(
                                REAP,
                                List.of(
                                        QueueKeys.heartbeat(worker),
                                        QueueKeys.processing(worker),
                                        QueueKeys.READY,
                                        QueueKeys.WORKERS),
                                worker)
                        .map(response -> Math.max(0, response.toLong())))
                .collect()
                .with(Collectors.summingLong(Long::longValue));
    }

    /**
     * Returns what a previous process with this worker id left in its processing list (a restart with a
     * stable WORKER_ID) to ready; the number returned.
     */
    public Uni<Long> recoverOwn(String workerId) {
        return eval(RETURN_ALL, List.of(QueueKeys.processing(workerId), QueueKeys.READY))
                .map(Response::toLong);
    }

    /** True when the worker left nothing behind and is unregistered; otherwise reapers return what it held. */
    public Uni<Boolean> retire(String workerId) {
        return eval(
                        RETIRE,
                        List.of(QueueKeys.heartbeat(workerId), QueueKeys.processing(workerId), QueueKeys.WORKERS),
                        workerId)
                .map(response -> response.toLong() == 1);
    }

    /** New work from this side (the reconciler): to the back of ready, as api-service does. */
    public Uni<Void> enqueue(String job) {
        return redis.list(String.class).lpush(QueueKeys.READY, job).replaceWithVoid();
    }

    /** The first delivery job of an order the worker itself (re)queues: after a payment, a reconciliation. */
    public Uni<Void> enqueueFirst(String orderId) {
        return enqueueAttempt(orderId, 1);
    }

    /** A fresh job for an order that already spent {@code attempt - 1} attempts (a lost delivery sent again). */
    public Uni<Void> enqueueAttempt(String orderId, int attempt) {
        return enqueue(new DeliveryJob(orderId, Math.max(1, attempt), Instant.now(), null).toJson());
    }

    public Uni<QueueDepth> depth(String workerId) {
        return Uni.combine()
                .all()
                .unis(
                        redis.list(String.class).llen(QueueKeys.READY),
                        redis.sortedSet(String.class).zcard(QueueKeys.DELAYED),
                        redis.list(String.class).llen(QueueKeys.DEAD),
                        redis.list(String.class).llen(QueueKeys.processing(workerId)))
                .with(QueueDepth::new);
    }

    private Uni<Response> eval(RedisScript script, List<String> keys, String... args) {
        return script.run(redis, keys, args);
    }

    private static List<String> strings(Response response) {
        if (response == null || response.size() == 0) {
            return List.of();
        }
        List<String> jobs = new ArrayList<>(response.size());
        response.forEach(job -> jobs.add(job.toString()));
        return jobs;
    }

    private static List<String> workersOtherThan(Set<String> workers, String selfId) {
        return workers.stream().filter(worker -> !worker.equals(selfId)).toList();
    }

    /** Whether the acknowledged job was still held (false: the reaper had taken it back), and the jobs claimed next. */
    public record AcknowledgedAndClaimed(boolean acknowledged, List<String> claimed) {}

    /** Jobs in each place, for gauges and autoscaling. */
    public record QueueDepth(long ready, long delayed, long dead, long processing) {}
}
