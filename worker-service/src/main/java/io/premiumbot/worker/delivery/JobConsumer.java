package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.worker.queue.ClaimLoop;
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
 * The consumer: the worker's {@link ClaimLoop} (claims for every free slot in one call, a finished job's
 * acknowledgement claims the next in the same call, BLMOVE only on an empty queue, up to {@code worker.concurrency}
 * jobs in flight), its heartbeat, and a draining stop. Each job runs on
 * its own safe Vert.x duplicated context (its own Hibernate Reactive session and trace).
 */
@ApplicationScoped
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
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

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Context loopContext;
    private volatile ClaimLoop loop;

    public JobConsumer(
            JobQueue queue,
            JobHandler handler,
            Vertx vertx,
            WorkerIdentity identity,
            WorkerConfig config,
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
        Gauge.builder("premium.delivery.in.flight", this, JobConsumer::inFlight)
                .description("Delivery jobs this worker is working on")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("event=consumer_disabled");
            return;
        }
        loopContext = vertx.getOrCreateContext();
        loop = new ClaimLoop(queue, workerId, concurrency, claimTimeout, loopContext, this::dispatch);
        running.set(true);
        queue.recoverOwn(workerId)
                .invoke(recovered -> {
                    if (recovered > 0) {
                        LOG.infof("event=jobs_recovered_from_previous_run worker=%s count=%d", workerId, recovered);
                    }
                })
                .chain(() -> queue.heartbeat(workerId, heartbeatTtl))
                .subscribe()
                .with(
                        done -> {
                            LOG.infof("event=consumer_started worker=%s concurrency=%d", workerId, concurrency);
                            loop.start();
                        },
                        failure -> {
                            LOG.errorf(failure, "event=consumer_start_failed worker=%s", workerId);
                            loop.startLater();
                        });
    }

    /** Stops claiming, then lets jobs in flight finish (bounded by the drain timeout) before the process goes. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running.set(false);
        if (loop != null) {
            loop.stop();
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        if (inFlight() > 0) {
            LOG.warnf("event=consumer_stopped_with_jobs_in_flight worker=%s jobs=%d", workerId, inFlight());
        }
        if (loopContext != null) {
            // without this the heartbeat's TTL does the same, only later
            boolean clean = queue.retire(workerId).await().atMost(RETIRE_TIMEOUT);
            LOG.infof("event=consumer_stopped worker=%s left_jobs_for_reaper=%s", workerId, !clean);
        }
    }

    @Scheduled(
            identity = "worker-heartbeat",
            every = "${worker.consumer.heartbeat-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
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
        return loop == null ? Instant.EPOCH : loop.lastTick();
    }

    /** The longest a healthy loop goes without a tick. */
    public Duration tickBudget() {
        return claimTimeout.multipliedBy(3).plusSeconds(5);
    }

    public int inFlight() {
        return loop == null ? 0 : loop.inFlight();
    }

    /** True while every slot is busy: the loop waits for a job to finish, which bounded timeouts guarantee. */
    public boolean isWaitingForSlot() {
        return loop != null && loop.isWaitingForSlot();
    }

    private void dispatch(String job, ClaimLoop.Slot slot) {
        Context jobContext = VertxContext.createNewDuplicatedContext(loopContext);
        VertxContextSafetyToggle.setContextSafe(jobContext, true);
        jobContext.runOnContext(ignored -> Uni.createFrom()
                .deferred(() -> handler.handle(workerId, job, slot::acknowledge))
                .onTermination()
                .invoke(slot::release)
                .subscribe()
                .with(done -> {}, failure -> LOG.errorf(failure, "event=job_not_settled worker=%s", workerId)));
    }
}
