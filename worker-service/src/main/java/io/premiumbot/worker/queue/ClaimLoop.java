package io.premiumbot.worker.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;

/**
 * Claims jobs for as many slots as are free: one call moves up to that many jobs from ready into the worker's
 * processing list ({@link JobQueue#claimUpTo}); only when ready is empty does the loop block in a single BLMOVE.
 * A job that finishes with an acknowledgement hands its slot on in the same Redis call
 * ({@link Slot#acknowledge}: LREM of the finished job and LMOVE of the next), so a busy worker pays one round trip
 * per job. With every slot busy the loop itself stops claiming until one frees, so a busy worker leaves jobs in
 * ready for others. {@code inFlight} counts running jobs and the slots reserved for claims on their way, so no
 * claim ever takes more than the free slots. A job started through {@code work} must end with its slot's
 * {@link Slot#acknowledge} or {@link Slot#release}.
 */
public final class ClaimLoop {

    private static final Logger LOG = Logger.getLogger(ClaimLoop.class);
    private static final long CLAIM_ERROR_PAUSE_MILLIS = 1_000;

    /** The slot a claimed job runs in. */
    public interface Slot {

        /**
         * Acknowledges the job and, while the loop runs, claims the next one into this slot in the same call.
         * Completes once the job is acknowledged; after it the slot is no longer this job's.
         */
        Uni<Void> acknowledge();

        /** Frees the slot without acknowledging (the job was settled another way); a second call does nothing. */
        void release();
    }

    private final JobQueue queue;
    private final String workerId;
    private final int concurrency;
    private final Duration claimTimeout;
    private final Context context;
    private final BiConsumer<String, Slot> work;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean waitingForSlot = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Instant> lastTick = new AtomicReference<>(Instant.EPOCH);

    public ClaimLoop(
            JobQueue queue,
            String workerId,
            int concurrency,
            Duration claimTimeout,
            Context context,
            BiConsumer<String, Slot> work) {
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

    /** Claims nothing more; jobs in flight finish on their own (their acknowledgements claim nothing). */
    public void stop() {
        running.set(false);
    }

    /** Starts again after a pause, e.g. when the first start failed. */
    public void startLater() {
        running.set(true);
        retryLater();
    }

    /** Jobs running, and slots reserved for a claim on its way. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The last time the loop or a finished job claimed, found the queue empty, or waited for a free slot. */
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
        int free = reserveFreeSlots();
        if (free == 0) {
            waitingForSlot.set(true);
            // a slot freed between the check and the flag would wake no one: check again
            if (inFlight.get() >= concurrency || !waitingForSlot.compareAndSet(true, false)) {
                return;
            }
            context.runOnContext(ignored -> next());
            return;
        }
        int reserved = free;
        queue.claimUpTo(workerId, reserved)
                .subscribe()
                .with(
                        jobs -> {
                            if (jobs.isEmpty()) {
                                // keep one slot for the blocking claim
                                inFlight.addAndGet(1 - reserved);
                                block();
                            } else {
                                inFlight.addAndGet(jobs.size() - reserved);
                                startAll(jobs);
                                context.runOnContext(ignored -> next());
                            }
                        },
                        failure -> {
                            inFlight.addAndGet(-reserved);
                            claimFailed(failure);
                        });
    }

    /** Ready is empty: wait in Redis for the next job rather than poll, in one reserved slot. */
    private void block() {
        if (!running.get()) {
            inFlight.decrementAndGet();
            return;
        }
        queue.claim(workerId, claimTimeout)
                .subscribe()
                .with(
                        job -> {
                            if (job != null) {
                                startAll(List.of(job));
                            } else {
                                inFlight.decrementAndGet();
                            }
                            context.runOnContext(ignored -> next());
                        },
                        failure -> {
                            inFlight.decrementAndGet();
                            claimFailed(failure);
                        });
    }

    /** Reserves every free slot for a claim; how many. Only this loop takes slots, jobs only give them back. */
    private int reserveFreeSlots() {
        while (true) {
            int now = inFlight.get();
            if (now >= concurrency) {
                return 0;
            }
            if (inFlight.compareAndSet(now, concurrency)) {
                return concurrency - now;
            }
        }
    }

    /** Starts jobs in slots already counted in {@code inFlight}. */
    private void startAll(List<String> jobs) {
        for (String job : jobs) {
            work.accept(job, new JobSlot(job));
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

    private final class JobSlot implements Slot {

        private final String job;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Once a combined call failed its reply is unknown: a retry only acknowledges, so no claim is made twice. */
        private final AtomicBoolean combinedTried = new AtomicBoolean();

        JobSlot(String job) {
            this.job = job;
        }

        @Override
        public Uni<Void> acknowledge() {
            // decided per subscription: a caller retrying this Uni after a failure gets the plain acknowledgement
            return Uni.createFrom().deferred(() -> {
                if (ended.get() || !running.get() || !combinedTried.compareAndSet(false, true)) {
                    return queue.acknowledge(workerId, job);
                }
                return queue.acknowledgeAndClaim(workerId, job, 1)
                        .invoke(result -> handOn(result.claimed()))
                        .replaceWithVoid();
            });
        }

        /** This job is acknowledged: its slot goes to the job claimed with it, or back to the loop. */
        private void handOn(List<String> claimed) {
            lastTick.set(Instant.now());
            if (!ended.compareAndSet(false, true)) {
                // the slot was given back meanwhile: the claimed jobs still run, in slots of their own
                inFlight.addAndGet(claimed.size());
                startAll(claimed);
                return;
            }
            if (claimed.isEmpty()) {
                ClaimLoop.this.release();
            } else {
                startAll(claimed);
            }
        }

        @Override
        public void release() {
            if (ended.compareAndSet(false, true)) {
                ClaimLoop.this.release();
            }
        }
    }
}
