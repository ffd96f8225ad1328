package io.premiumbot.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * A finished job acknowledged and the next one claimed in one Redis call: the queue's guarantees hold (one place
 * per job, no more jobs than slots, a dead worker's claims all come back).
 */
@QuarkusTest
@TestProfile(ClaimManyTest.NoConsumer.class)
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AcknowledgeAndClaimTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration CLAIM_TIMEOUT = Duration.ofMillis(200);

    @Inject
    JobQueue queue;

    @Inject
    RedisDataSource redis;

    @Inject
    Vertx vertx;

    private ClaimLoop loop;

    @BeforeEach
    void emptyQueue() {
        redis.key()
                .del(
                        QueueKeys.READY,
                        QueueKeys.WORKERS,
                        QueueKeys.processing("loop"),
                        QueueKeys.heartbeat("loop"),
                        QueueKeys.processing("alive"));
    }

    @AfterEach
    void stopLoop() {
        if (loop != null) {
            loop.stop();
            // a blocking claim still waiting holds a slot: let it end before the next test's jobs arrive
            // (a loop parked with every slot busy has none)
            await().atMost(WAIT).until(() -> loop.inFlight() == 0 || loop.isWaitingForSlot());
        }
    }

    private static List<String> jobs(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"orderId\":\"AC" + i + "\"}")
                .toList();
    }

    private void enqueueAll(List<String> jobs) {
        jobs.forEach(job -> queue.enqueue(job).await().atMost(WAIT));
    }

    private List<String> list(String key) {
        return redis.list(String.class).lrange(key, 0, -1);
    }

    private static List<String> sorted(List<String> jobs) {
        List<String> copy = new ArrayList<>(jobs);
        copy.sort(null);
        return copy;
    }

    @Test
    void acknowledgingAJobClaimsTheOldestReadyJobInTheSameCall() {
        List<String> jobs = jobs(3);
        enqueueAll(jobs);
        String first = queue.claimUpTo("alive", 1).await().atMost(WAIT).get(0);

        JobQueue.AcknowledgedAndClaimed result =
                queue.acknowledgeAndClaim("alive", first, 1).await().atMost(WAIT);

        assertTrue(result.acknowledged());
        assertEquals(List.of(jobs.get(1)), result.claimed());
        assertEquals(
                List.of(jobs.get(1)), list(QueueKeys.processing("alive")), "the finished job gone, the next one held");
        assertEquals(List.of(jobs.get(2)), list(QueueKeys.READY));
    }

    @Test
    void acknowledgingOnAnEmptyReadyOnlyAcknowledges() {
        enqueueAll(jobs(1));
        String only = queue.claimUpTo("alive", 1).await().atMost(WAIT).get(0);

        JobQueue.AcknowledgedAndClaimed result =
                queue.acknowledgeAndClaim("alive", only, 1).await().atMost(WAIT);

        assertTrue(result.acknowledged());
        assertEquals(List.of(), result.claimed());
        assertEquals(List.of(), list(QueueKeys.processing("alive")));
    }

    @Test
    void scriptsStillRunAfterRedisForgetsItsScriptCache() {
        List<String> jobs = jobs(2);
        enqueueAll(jobs);
        redis.execute("SCRIPT", "FLUSH");

        List<String> claimed = queue.claimUpTo("alive", 2).await().atMost(WAIT);

        assertEquals(jobs, claimed);
    }

    @Test
    void aBusyLoopRunsNoMoreJobsThanItsSlotsAndAcknowledgesEachJobOnce() {
        int slots = 3;
        List<String> jobs = jobs(60);
        enqueueAll(jobs);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        loop = new ClaimLoop(queue, "loop", slots, CLAIM_TIMEOUT, vertx.getOrCreateContext(), (job, slot) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            vertx.setTimer(2, ignored -> {
                running.decrementAndGet();
                slot.acknowledge().subscribe().with(done -> {
                    acknowledged.add(job);
                    slot.release();
                });
            });
        });

        loop.start();

        await().atMost(WAIT).until(() -> acknowledged.size() >= jobs.size());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> acknowledged.size() == jobs.size());
        assertTrue(mostAtOnce.get() <= slots, "at most " + slots + " jobs at once, saw " + mostAtOnce.get());
        assertEquals(sorted(jobs), sorted(new ArrayList<>(acknowledged)), "every job acknowledged exactly once");
        assertEquals(List.of(), list(QueueKeys.processing("loop")));
        assertEquals(List.of(), list(QueueKeys.READY));
    }

    @Test
    void claimsInFlightWhenTheWorkerIsKilledAllGoBackToReadyNoneLostOrDoubled() {
        int slots = 4;
        int finishBeforeTheKill = 10;
        List<String> jobs = jobs(30);
        enqueueAll(jobs);
        queue.heartbeat("loop", Duration.ofSeconds(30)).await().atMost(WAIT);
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stuck = new AtomicInteger();
        loop = new ClaimLoop(queue, "loop", slots, CLAIM_TIMEOUT, vertx.getOrCreateContext(), (job, slot) -> {
            if (started.incrementAndGet() <= finishBeforeTheKill) {
                // finishes: its acknowledgement claims the next job in the same call
                slot.acknowledge().subscribe().with(done -> {
                    acknowledged.add(job);
                    slot.release();
                });
            } else {
                // still running when the process dies: never settled
                stuck.incrementAndGet();
            }
        });
        loop.start();
        await().atMost(WAIT).until(() -> acknowledged.size() == finishBeforeTheKill && stuck.get() == slots);

        // kill -9: the loop stops where it is, no retire, the heartbeat simply expires
        loop.stop();
        redis.key().del(QueueKeys.heartbeat("loop"));
        long reaped = queue.reapDeadWorkers("alive").await().atMost(WAIT);

        assertEquals(slots, reaped, "exactly the claims in flight were held");
        assertEquals(List.of(), list(QueueKeys.processing("loop")));
        List<String> everywhere = new ArrayList<>(list(QueueKeys.READY));
        everywhere.addAll(acknowledged);
        assertEquals(sorted(jobs), sorted(everywhere), "each job acknowledged or back in ready, exactly once");
    }
}
