package io.premiumbot.worker.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.queue.DeadLetterRetention;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.premiumbot.worker.support.Fixtures;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** What is pruned and what is kept: replay guards within Telegram's window, dead jobs the operator still needs. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong UPDATE_IDS = new AtomicLong(System.nanoTime() / 1000);

    @Inject
    Fixtures fixtures;

    @Inject
    PruneProcessedUpdates prune;

    @Inject
    DeadLetterRetention deadLetters;

    private long processedUpdate(String age) {
        long id = UPDATE_IDS.incrementAndGet();
        fixtures.update(
                "insert into processed_updates (update_id, received_at) values (?, now() - ?::interval)", id, age);
        return id;
    }

    private boolean kept(long updateId) {
        return Long.parseLong(fixtures.text("select count(*) from processed_updates where update_id = ?", updateId))
                == 1;
    }

    private void pruneAll() {
        while (prune.prune().await().atMost(WAIT) > 0) {
            // each call is one bounded tick
        }
    }

    @Test
    void pruningNeverRemovesAnUpdateStillWithinTheReplayWindow() {
        long fresh = processedUpdate("1 second");
        long nearTheEdge = processedUpdate("47 hours 59 minutes");
        long expired = processedUpdate("48 hours 1 minute");

        pruneAll();

        assertTrue(kept(fresh));
        assertTrue(kept(nearTheEdge), "an update Telegram could still replay keeps its claim");
        assertFalse(kept(expired));
    }

    @Test
    void oneTickDeletesAtMostItsBatchesAndTheNextTickGoesOn() {
        pruneAll();
        for (int i = 0; i < 25; i++) {
            processedUpdate("3 days");
        }

        assertEquals(20L, prune.prune().await().atMost(WAIT), "2 batches of 10 per tick in the test profile");
        assertEquals(5L, prune.prune().await().atMost(WAIT));
        assertEquals(0L, prune.prune().await().atMost(WAIT));
    }

    @Test
    void aRetentionShorterThanTelegramsReplayWindowIsRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> new PruneProcessedUpdates(null, Duration.ofHours(23), 10, 1));
    }

    @Test
    void aDeadJobLeavesTheDeadListOnlyOnceItsOrderIsSettled() {
        long buyer = fixtures.userWithDeposit(100_000_000L);
        String delivered = fixtures.orderInStatus(buyer, "DELIVERED", Duration.ZERO);
        String refunded = fixtures.orderInStatus(buyer, "REFUNDED", Duration.ZERO);
        String failed = fixtures.orderInStatus(buyer, "FAILED", Duration.ZERO);
        String unknown = fixtures.orderInStatus(buyer, "DELIVERY_UNKNOWN", Duration.ZERO);
        String paid = fixtures.orderInStatus(buyer, "PAID", Duration.ZERO);
        String unreadable = "{\"not\":\"a job " + buyer + "\"}";
        List<String> needOperator =
                List.of(Fixtures.job(failed, 8), Fixtures.job(unknown, 1), Fixtures.job(paid, 8), unreadable);
        for (String job : List.of(Fixtures.job(delivered, 8), Fixtures.job(refunded, 8))) {
            fixtures.push(QueueKeys.DEAD, job);
        }
        needOperator.forEach(job -> fixtures.push(QueueKeys.DEAD, job));

        long removed = deadLetters.trim().await().atMost(WAIT);

        List<String> dead = fixtures.list(QueueKeys.DEAD);
        assertTrue(removed >= 2, "removed " + removed);
        assertTrue(dead.containsAll(needOperator), "what still needs the operator stays: " + dead);
        assertFalse(dead.stream().anyMatch(job -> job.contains(delivered) || job.contains(refunded)), dead.toString());
    }
}
