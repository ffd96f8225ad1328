package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Spaces calls toward Telegram evenly at the configured rate for this process: each caller reserves the
 * next free slot and waits (without blocking a thread) until it comes, so bursts are smoothed, not refused.
 */
@ApplicationScoped
public class TelegramRateLimiter {

    private final long intervalNanos;
    private final AtomicLong nextFreeSlot = new AtomicLong(System.nanoTime());

    public TelegramRateLimiter(TelegramConfig config) {
        if (config.rateLimitPerSecond() < 1) {
            throw new IllegalArgumentException("telegram.rate-limit-per-second must be at least 1");
        }
        this.intervalNanos = 1_000_000_000L / config.rateLimitPerSecond();
    }

    /** Completes when this caller may send its request. */
    public Uni<Void> acquire() {
        long now = System.nanoTime();
        long slot = nextFreeSlot.getAndUpdate(next -> Math.max(next, now) + intervalNanos);
        long wait = Math.max(slot, now) - now;
        if (wait <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(wait));
    }
}
