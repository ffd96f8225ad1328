package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerConfig;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The consumer loop: one claim (BLMOVE) at a time, up to {@code worker.concurrency} jobs in flight. When all
 * slots are taken the loop stops claiming until one frees, so a busy worker leaves jobs in ready for others.
 * Each job runs on its own safe Vert.x duplicated context (its own Hibernate Reactive session and trace).
 */
@ApplicationScoped
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    private static final long CLAIM_ERROR_PAUSE_MILLIS = 1_000;
    private static final long DRAIN_POLL_MILLIS = 100;
    private static final Duration RETIRE_TIMEOUT = Duration.ofSeconds(2);

    private final JobQueue queue;
    private final JobHandler handler;
    private final Vertx vertx;
    private final String workerId;
    private final int concurrency;
    private final Duration claimTimeout;
    private final Duration heartbeatTtl;
    private final boolean enabled;
    private final Duration drainTimeout;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean waitingForSlot = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Instant> lastTick = new AtomicReference<>(Instant.EPOCH);
    private volatile Context loopContext;

    public JobConsumer(JobQueue queue, JobHandler handler, Vertx vertx, WorkerIdentity identity, WorkerConfig config,
            MeterRegistry registry) {
        this.queue = queue;
        this.handler = handler;
        this.vertx = vertx;
        this.workerId = identity.id();
        this.concurrency = config.concurrency();
        this.claimTimeout = config.consumer().claimTimeout();
        this.heartbeatTtl = config.consumer().heartbeatTtl();
        this.enabled = config.consumer().enabled();
        this.drainTimeout = config.consumer().drainTimeout();
        Gauge.builder("premium.delivery.in.flight", inFlight, AtomicInteger::get)
                .description("Delivery jobs this worker is working on")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("event=consumer_disabled");
            return;
        }
        loopContext = vertx.getOrCreateContext();
        running.set(true);
        queue.recoverOwn(workerId)
                .invoke(recovered -> {
                    if (recovered > 0) {
                        LOG.infof("event=jobs_recovered_from_previous_run worker=%s count=%d", workerId, recovered);
                    }
                })
                .chain(() -> queue.heartbeat(workerId, heartbeatTtl))
                .subscribe().with(
                done -> {
                    LOG.infof("event=consumer_started worker=%s concurrency=%d", workerId, concurrency);
                    loopContext.runOnContext(ignored -> next());
                },
                failure -> {
                    LOG.errorf(failure, "event=consumer_start_failed worker=%s", workerId);
                    loopContext.runOnContext(ignored -> retryClaimLater());
                });
    }

    /** Stops claiming, then lets jobs in flight finish (bounded by the drain timeout) before the process goes. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        if (inFlight.get() > 0) {
            LOG.warnf("event=consumer_stopped_with_jobs_in_flight worker=%s jobs=%d", workerId, inFlight.get());
        }
        if (loopContext != null) {
            // without this the heartbeat's TTL does the same, only later
            boolean clean = queue.retire(workerId).await().atMost(RETIRE_TIMEOUT);
            LOG.infof("event=consumer_stopped worker=%s left_jobs_for_reaper=%s", workerId, !clean);
        }
    }

    @Scheduled(identity = "worker-heartbeat", every = "${worker.consumer.heartbeat-every}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        if (!running.get()) {
            return Uni.createFrom().voidItem();
        }
        return queue.heartbeat(workerId, heartbeatTtl);
    }

    /** Whether the loop is enabled; the readiness check reports disabled loops as such. */
    public boolean isEnabled() {
        return enabled;
    }

    /** The last time the loop claimed, found the queue empty, or waited for a free slot. */
    public Instant lastTick() {
        return lastTick.get();
    }

    /** The longest a healthy loop goes without a tick. */
    public Duration tickBudget() {
        return claimTimeout.multipliedBy(3).plusSeconds(5);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** True while every slot is busy: the loop waits for a job to finish, which bounded timeouts guarantee. */
    public boolean isWaitingForSlot() {
        return waitingForSlot.get() && inFlight.get() > 0;
    }

    private void next() {
        if (!running.get()) {
            return;
        }
        lastTick.set(Instant.now());
        if (inFlight.get() >= concurrency) {
            waitingForSlot.set(true);
            // a slot freed between the check and the flag would wake no one: check again
            if (inFlight.get() >= concurrency || !waitingForSlot.compareAndSet(true, false)) {
                return;
            }
        }
        queue.claim(workerId, claimTimeout).subscribe().with(
                job -> {
                    if (job != null) {
                        dispatch(job);
                    }
                    loopContext.runOnContext(ignored -> next());
                },
                failure -> {
                    if (running.get()) {
                        LOG.errorf("event=claim_failed worker=%s error=%s", workerId, failure.getMessage());
                        retryClaimLater();
                    }
                });
    }

    private void retryClaimLater() {
        vertx.setTimer(CLAIM_ERROR_PAUSE_MILLIS, ignored -> loopContext.runOnContext(v -> next()));
    }

    private void dispatch(String job) {
        inFlight.incrementAndGet();
        Context jobContext = VertxContext.createNewDuplicatedContext(loopContext);
        VertxContextSafetyToggle.setContextSafe(jobContext, true);
        jobContext.runOnContext(ignored -> Uni.createFrom().deferred(() -> handler.handle(workerId, job))
                .onTermination().invoke(this::release)
                .subscribe().with(
                        done -> { },
                        failure -> LOG.errorf(failure, "event=job_not_settled worker=%s", workerId)));
    }

    private void release() {
        inFlight.decrementAndGet();
        if (waitingForSlot.compareAndSet(true, false)) {
            loopContext.runOnContext(ignored -> next());
        }
    }
}
