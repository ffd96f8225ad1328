package io.premiumbot.worker.queue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the queue moving: promotes due retries, returns dead workers' jobs, and publishes queue depths.
 * Each step is atomic in Redis, so running on several replicas at once is safe.
 */
@ApplicationScoped
public class QueueMaintenance {

    private static final Logger LOG = Logger.getLogger(QueueMaintenance.class);

    private final JobQueue queue;
    private final WorkerIdentity identity;
    private final AtomicLong ready = new AtomicLong();
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong processing = new AtomicLong();

    public QueueMaintenance(JobQueue queue, WorkerIdentity identity, MeterRegistry registry) {
        this.queue = queue;
        this.identity = identity;
        gauge(registry, "ready", ready);
        gauge(registry, "delayed", delayed);
        gauge(registry, "dead", dead);
        gauge(registry, "processing", processing);
    }

    private static void gauge(MeterRegistry registry, String place, AtomicLong value) {
        Gauge.builder("premium.queue.depth", value, AtomicLong::get)
                .description("Delivery jobs by place (processing: this worker's)")
                .tag("queue", place)
                .register(registry);
    }

    @Scheduled(
            identity = "promote-due-jobs",
            every = "${worker.queue.promote-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> promoteDueJobs() {
        return queue.promoteDue(Instant.now())
                .invoke(count -> {
                    if (count > 0) {
                        LOG.debugf("event=jobs_promoted count=%d", count);
                    }
                })
                .replaceWithVoid();
    }

    @Scheduled(
            identity = "reap-dead-workers",
            every = "${worker.queue.reap-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> reapDeadWorkers() {
        return reap().replaceWithVoid();
    }

    /** Returns the jobs of workers whose heartbeat expired to ready; the number returned. */
    public Uni<Long> reap() {
        return queue.reapDeadWorkers(identity.id()).invoke(count -> {
            if (count > 0) {
                LOG.infof("event=jobs_reaped count=%d", count);
            }
        });
    }

    @Scheduled(
            identity = "queue-depth",
            every = "${worker.queue.metrics-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> refreshDepth() {
        return queue.depth(identity.id())
                .invoke(depth -> {
                    ready.set(depth.ready());
                    delayed.set(depth.delayed());
                    dead.set(depth.dead());
                    processing.set(depth.processing());
                })
                .replaceWithVoid();
    }
}
