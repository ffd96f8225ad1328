package io.premiumbot.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** Several jobs claimed in one call keep the queue's guarantees: order, one place per job, reaped when the worker dies. */
@QuarkusTest
@TestProfile(ClaimManyTest.NoConsumer.class)
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ClaimManyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The queue driven by hand: no consumer loop claiming beside the test. */
    public static class NoConsumer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.consumer.enabled", "false", "worker.notifications.every", "off");
        }
    }

    @Inject
    JobQueue queue;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void emptyQueue() {
        redis.key()
                .del(
                        QueueKeys.READY,
                        QueueKeys.WORKERS,
                        QueueKeys.processing("gone"),
                        QueueKeys.heartbeat("gone"),
                        QueueKeys.processing("alive"),
                        QueueKeys.heartbeat("alive"));
    }

    private static List<String> jobs(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"orderId\":\"CM" + i + "\"}")
                .toList();
    }

    private void enqueueAll(List<String> jobs) {
        jobs.forEach(job -> queue.enqueue(job).await().atMost(WAIT));
    }

    private List<String> list(String key) {
        return redis.list(String.class).lrange(key, 0, -1);
    }

    @Test
    void claimsNoMoreThanTheFreeSlotsOldestFirstAndLeavesTheRestInReady() {
        List<String> jobs = jobs(5);
        enqueueAll(jobs);

        List<String> claimed = queue.claimUpTo("alive", 3).await().atMost(WAIT);

        assertEquals(jobs.subList(0, 3), claimed);
        assertEquals(3, list(QueueKeys.processing("alive")).size());
        assertEquals(List.of(jobs.get(4), jobs.get(3)), list(QueueKeys.READY));
    }

    @Test
    void anEmptyReadyGivesAnEmptyClaim() {
        assertEquals(List.of(), queue.claimUpTo("alive", 10).await().atMost(WAIT));
    }

    @Test
    void jobsClaimedTogetherByAWorkerThatDiedAllGoBackToReadyOnce() {
        List<String> jobs = jobs(8);
        enqueueAll(jobs);
        queue.heartbeat("gone", Duration.ofSeconds(30)).await().atMost(WAIT);
        queue.claimUpTo("gone", 6).await().atMost(WAIT);
        // killed with -9: no retire, the heartbeat simply stops
        redis.key().del(QueueKeys.heartbeat("gone"));

        long reaped = queue.reapDeadWorkers("alive").await().atMost(WAIT);

        assertEquals(6, reaped);
        assertEquals(List.of(), list(QueueKeys.processing("gone")));
        List<String> ready = new ArrayList<>(list(QueueKeys.READY));
        ready.sort(null);
        List<String> expected = new ArrayList<>(jobs);
        expected.sort(null);
        assertEquals(expected, ready, "every job back in ready once, none lost or doubled");
    }

    @Test
    void aLiveWorkersJobsAreNotReaped() {
        enqueueAll(jobs(3));
        queue.heartbeat("alive", Duration.ofSeconds(30)).await().atMost(WAIT);
        queue.claimUpTo("alive", 3).await().atMost(WAIT);

        assertEquals(0, queue.reapDeadWorkers("someone-else").await().atMost(WAIT));
        assertEquals(3, list(QueueKeys.processing("alive")).size());
    }
}
