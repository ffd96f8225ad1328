package io.premiumbot.worker.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Exponential backoff with jitter between the configured bounds (4 s to 60 s by default). */
@ApplicationScoped
public class Backoff {

    private final long minMillis;
    private final long maxMillis;

    @Inject
    public Backoff(RetryConfig config) {
        this(config.minBackoff(), config.maxBackoff());
    }

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, was " + min + " and " + max);
        }
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The wait after failed attempt {@code attempt} (1-based): doubling from the minimum, capped, then jittered into [half, full]. */
    public Duration afterAttempt(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.min(maxMillis, minMillis << Math.min(doublings, 20));
        long floor = Math.max(minMillis, ceiling / 2);
        long wait = floor >= ceiling ? ceiling : ThreadLocalRandom.current().nextLong(floor, ceiling + 1);
        return Duration.ofMillis(wait);
    }
}
