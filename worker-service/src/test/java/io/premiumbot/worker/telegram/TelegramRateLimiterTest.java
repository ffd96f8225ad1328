package io.premiumbot.worker.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.premiumbot.model.telegram.TelegramBudgetExhausted;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.premiumbot.model.telegram.TelegramRateLimiter.CallKind;
import io.premiumbot.model.telegram.TelegramRateLimiter.Priority;
import io.premiumbot.worker.support.FakeBotApiResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;

/** The shared limiter against real Redis: even spacing, gifts before spare calls, waits that end. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramRateLimiterTest {

    private static final String NEXT_SLOT = "{premium}:telegram:rate:next";
    private static final String FLOOD_UNTIL = "{premium}:telegram:flood:until";

    @Inject
    TelegramRateLimiter limiter;

    @Inject
    TelegramBudgetConfig config;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void freeBudget() {
        redis.key().del(NEXT_SLOT, FLOOD_UNTIL);
    }

    /** Grant times, in nanoTime, of {@code calls} acquisitions by 10 callers at once, each asking again when granted (as workers do). */
    private List<Long> grantTimes(int calls, Priority priority) {
        List<Long> granted = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < 10; lane++) {
            lanes.add(lane(calls / 10, priority, granted));
        }
        lanes.forEach(done -> done.orTimeout(15, TimeUnit.SECONDS).join());
        return granted.stream().sorted().toList();
    }

    private CompletableFuture<Void> lane(int calls, Priority priority, List<Long> granted) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < calls; i++) {
            chain = chain.thenCompose(ignored -> limiter.acquire(priority).subscribeAsCompletionStage())
                    .thenRun(() -> granted.add(System.nanoTime()));
        }
        return chain;
    }

    private static int mostInAnyWindow(List<Long> times, Duration window) {
        int most = 0;
        for (int first = 0, last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= window.toNanos()) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** The budget's next slot this far from Redis' now, as if callers had reserved that much already. */
    private void budgetTakenFor(Duration ahead) {
        Response time = redis.execute("TIME");
        long nowMicros = time.get(0).toLong() * 1_000_000 + time.get(1).toLong();
        redis.value(String.class).set(NEXT_SLOT, Long.toString(nowMicros + ahead.toNanos() / 1000));
    }

    @Test
    void noSlidingSecondHoldsMoreCallsThanTheLimitPlusHeadroom() {
        List<Long> granted = grantTimes(2 * config.rateLimitPerSecond() + 10, Priority.GIFT);
        assertEquals(2 * config.rateLimitPerSecond() + 10, granted.size());

        // slots are spaced at limit − headroom per second; the headroom absorbs the timers' jitter seen here
        int most = mostInAnyWindow(granted, Duration.ofSeconds(1));
        int bound = config.rateLimitPerSecond() + config.rateHeadroomPerSecond();
        assertTrue(most <= bound, most + " calls in one sliding second, limit + headroom " + bound);
    }

    @Test
    void callsAreSpacedEvenlyRatherThanBurstAtTheStartOfASecond() {
        List<Long> granted = grantTimes(config.rateLimitPerSecond(), Priority.GIFT);

        // at the limit less the headroom, 100 ms holds 3 or 4 slots (a timer late on a busy machine may add one or
        // two); a burst would put all 10 callers' first calls together
        int most = mostInAnyWindow(granted, Duration.ofMillis(100));
        assertTrue(most <= 6, most + " calls within 100 ms");
        long spanMillis = TimeUnit.NANOSECONDS.toMillis(granted.get(granted.size() - 1) - granted.get(0));
        assertTrue(spanMillis >= 900, config.rateLimitPerSecond() + " calls spread over only " + spanMillis + " ms");
    }

    @Test
    void giftsQueuedForTheBudgetGoBeforeSpareCalls() {
        List<Long> giftGrants = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> gifts = new ArrayList<>();
        List<CompletableFuture<Long>> spare = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // ten workers sending two gifts each, ten spare calls asking at the same moment
            gifts.add(lane(2, Priority.GIFT, giftGrants));
            spare.add(limiter.acquire(Priority.SPARE)
                    .map(ignored -> System.nanoTime())
                    .subscribeAsCompletionStage());
        }
        gifts.forEach(done -> done.orTimeout(15, TimeUnit.SECONDS).join());
        long lastGift = Collections.max(giftGrants);
        List<Long> spareGrants = spare.stream()
                .map(grant -> grant.orTimeout(15, TimeUnit.SECONDS).join())
                .toList();

        // at most the first slot, taken before any gift had reserved, goes to a spare call
        long beforeLastGift = spareGrants.stream().filter(at -> at < lastGift).count();
        assertTrue(beforeLastGift <= 1, beforeLastGift + " spare calls went out while gifts waited");
        assertEquals(10, spareGrants.size(), "every spare call got its slot afterwards");
    }

    @Test
    void aSpareCallWaitsWhileGiftsHoldTheBudgetAndTheWebhookCheckIsRefused() {
        long start = System.nanoTime();
        budgetTakenFor(Duration.ofMillis(800));

        assertFalse(
                limiter.tryAcquire().await().atMost(Duration.ofSeconds(5)), "a pre-check while gifts hold the budget");
        limiter.acquire(Priority.SPARE).await().atMost(Duration.ofSeconds(5));

        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waitedMillis >= 799, "the spare call went after " + waitedMillis + " ms");
    }

    @Test
    void aPreCheckWaitsAFewSlotsButNeverBehindAQueueOfGifts() {
        budgetTakenFor(Duration.ofMillis(100));
        assertTrue(
                limiter.tryAcquire(Duration.ofMillis(200)).await().atMost(Duration.ofSeconds(5)),
                "a slot 100 ms ahead is worth waiting for");

        budgetTakenFor(Duration.ofSeconds(3));
        assertFalse(
                limiter.tryAcquire(Duration.ofMillis(200)).await().atMost(Duration.ofSeconds(5)),
                "gifts hold the next 3 s: the pre-check is skipped");
    }

    @Test
    void aGiftThatWouldWaitPastTheBoundFailsTypedInsteadOfHanging() {
        budgetTakenFor(Duration.ofMinutes(1));
        long start = System.nanoTime();

        CompletionException failure = assertThrows(
                CompletionException.class,
                () -> limiter.acquire(Priority.GIFT)
                        .subscribeAsCompletionStage()
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join());

        assertTrue(
                failure.getCause() instanceof TelegramBudgetExhausted exhausted
                        && exhausted.retryAfter().toSeconds() >= 50,
                String.valueOf(failure.getCause()));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the refusal came at once");
    }

    @Test
    void aSpareCallGivesUpTypedAfterItsBoundedWait() {
        budgetTakenFor(Duration.ofMinutes(1));

        CompletionException failure = assertThrows(
                CompletionException.class,
                () -> limiter.acquire(Priority.SPARE)
                        .subscribeAsCompletionStage()
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join());

        assertTrue(failure.getCause() instanceof TelegramBudgetExhausted, String.valueOf(failure.getCause()));
    }

    @Test
    void aFloodWaitHoldsEverySendOfTheBotButNoRead() {
        limiter.pauseFor(Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(5));

        CompletionException gift = assertThrows(
                CompletionException.class,
                () -> limiter.acquire(Priority.GIFT)
                        .subscribeAsCompletionStage()
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join());
        assertTrue(
                gift.getCause() instanceof TelegramBudgetExhausted exhausted
                        && exhausted.retryAfter().toSeconds() >= 50,
                String.valueOf(gift.getCause()));
        assertThrows(
                CompletionException.class,
                () -> limiter.acquire(Priority.SPARE, CallKind.SEND)
                        .subscribeAsCompletionStage()
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join());
        assertTrue(limiter.untilFree().await().atMost(Duration.ofSeconds(5)).toSeconds() >= 50);

        limiter.acquire(Priority.GIFT, CallKind.READ).await().atMost(Duration.ofSeconds(2));
        limiter.acquire(Priority.SPARE, CallKind.READ).await().atMost(Duration.ofSeconds(2));
        assertTrue(
                limiter.tryAcquire(Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(3)),
                "the webhook's pre-check reads");
    }

    @Test
    void aShorterFloodWaitNeverShortensALongerOne() {
        limiter.pauseFor(Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(5));

        Duration lasts = limiter.pauseFor(Duration.ofSeconds(2)).await().atMost(Duration.ofSeconds(5));

        assertTrue(lasts.toSeconds() >= 50, String.valueOf(lasts));
        assertTrue(limiter.untilFree().await().atMost(Duration.ofSeconds(5)).toSeconds() >= 50);
    }
}
