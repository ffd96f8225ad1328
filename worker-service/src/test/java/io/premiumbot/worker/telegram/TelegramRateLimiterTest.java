package io.premiumbot.worker.telegram;

import io.premiumbot.model.telegram.TelegramRateLimiter;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.premiumbot.worker.support.FakeBotApiResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** The limiter against real Redis: more calls than one second allows take more than a second. */
@QuarkusTest
@WithTestResource(value = FakeBotApiResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TelegramRateLimiterTest {

    @Inject
    TelegramRateLimiter limiter;

    @Inject
    TelegramConfig config;

    @Inject
    RedisDataSource redis;

    @Test
    void holdsCallsBackOnceTheRatePerSecondIsUsedUp() {
        int calls = config.rateLimitPerSecond() + 5;
        List<Uni<Void>> permits = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            permits.add(limiter.acquire());
        }
        long start = System.nanoTime();

        Uni.join().all(permits).andFailFast().await().atMost(Duration.ofSeconds(10));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofMillis(900)) >= 0, calls + " permits took only " + took);
    }

    @Test
    void waitsForASecondWhoseTicketsOtherWorkersHaveNotUsedUp() {
        long second = System.currentTimeMillis() / 1000;
        for (long s = second; s < second + 3; s++) {
            redis.value(String.class).setex("{premium}:telegram:rate:" + s, 10, Integer.toString(config.rateLimitPerSecond()));
        }

        limiter.acquire().await().atMost(Duration.ofSeconds(10));

        long grantedIn = System.currentTimeMillis() / 1000;
        assertTrue(grantedIn >= second + 3, "granted in second " + grantedIn + ", the used-up ones were " + second + ".." + (second + 2));
    }
}
