package io.premiumbot.worker.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.vertx.core.Context;

/**
 * Claims jobs for as many slots as are free: one call moves up to that many jobs from ready into the worker's
 * processing list ({@link JobQueue#claimUpTo}); only when ready is empty does the loop block in a single BLMOVE.
 * With every slot busy it stops claiming until one frees, so a busy worker leaves jobs in ready for others.
 * Runs on one Vert.x context; a job started through {@code work} must call its {@code settled} callback once.
 */
public final class ClaimLoop {

    private static final Logger LOG = Logger.getLogger(ClaimLoop.class);
    private static final long CLAIM_ERROR_PAUSE_MILLIS = 1_000;

    private final JobQueue queue;
    private final String workerId;
    private final int concurrency;
    private final Duration claimTimeout;
    private final Context context;
    private final BiConsumer<String, Runnable> work;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean waitingForSlot = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Instant> lastTick = new AtomicReference<>(Instant.EPOCH);

    public ClaimLoop(JobQueue queue, String workerId, int concurrency, Duration claimTimeout, Context context,
            BiConsumer<String, Runnable> work) {
        this.queue = queue;
        this.workerId = workerId;
        this.concurrency = concurrency;
        this.claimTimeout = claimTimeout;
        this.context = context;
        this.work = work;
    }

    public void start() {
        running.set(true);
        context.runOnContext(ignored -> next());
    }

    /** Claims nothing more; jobs in flight finish on their own. */
    public void stop() {
        running.set(false);
    }

    /** Starts again after a pause, e.g. when the first start failed. */
    public void startLater() {
        running.set(true);
        retryLater();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The last time the loop claimed, found the queue empty, or waited for a free slot. */
    public Instant lastTick() {
        return lastTick.get();
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
        int free = concurrency - inFlight.get();
        if (free <= 0) {
            waitingForSlot.set(true);
            // a slot freed between the check and the flag would wake no one: check again
            if (inFlight.get() >= concurrency || !waitingForSlot.compareAndSet(true, false)) {
                return;
            }
            free = concurrency - inFlight.get();
        }
        queue.claimUpTo(workerId, Math.max(1, free)).subscribe().with(
                jobs -> {
                    if (jobs.isEmpty()) {
                        block();
                    } else {
                        startAll(jobs);
                        context.runOnContext(ignored -> next());
                    }
                },
                this::claimFailed);
    }

    /** Ready is empty: wait in Redis for the next job rather than poll. */
    private void block() {
        if (!running.get()) {
            return;
        }
        queue.claim(workerId, claimTimeout).subscribe().with(
                job -> {
                    if (job != null) {
                        startAll(List.of(job));
                    }
                    context.runOnContext(ignored -> next());
                },
                this::claimFailed);
    }

    private void startAll(List<String> jobs) {
        for (String job : jobs) {
            inFlight.incrementAndGet();
            AtomicBoolean settled = new AtomicBoolean();
            work.accept(job, () -> {
                if (settled.compareAndSet(false, true)) {
                    release();
                }
            });
        }
    }

    private void claimFailed(Throwable failure) {
        if (running.get()) {
            LOG.errorf("event=claim_failed worker=%s error=%s", workerId, failure.getMessage());
            retryLater();
        }
    }

    private void retryLater() {
        context.owner().setTimer(CLAIM_ERROR_PAUSE_MILLIS, ignored -> context.runOnContext(v -> next()));
    }

    private void release() {
        inFlight.decrementAndGet();
        if (waitingForSlot.compareAndSet(true, false)) {
            context.runOnContext(ignored -> next());
        }
    }
}
