package io.premiumbot.model.telegram;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rate toward Telegram, one budget shared by every replica of both services (the worker's gifts and
 * messages, api-service's recipient checks). Locally, calls are spaced evenly at the
 * configured rate so one process never bursts; globally, each call takes a ticket from a per-second counter
 * in Redis, and a call past the limit waits for the next second. Nothing is refused and no thread blocks.
 * One call per second is kept as headroom: Telegram counts by arrival, so a call granted at the very end of a
 * second and arriving in the next must not make that second one too many (measured in bench/: at exactly the
 * limit, 2 runs of 4 provoked 429s).
 */
@ApplicationScoped
public class TelegramRateLimiter {

    /** One counter per wall-clock second, gone two seconds later. */
    private static final String TAKE_TICKET = """
            local taken = redis.call('INCR', KEYS[1])
            if taken == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
            return taken""";
    private static final String WINDOW_PREFIX = QueueKeys.HASH_TAG + ":telegram:rate:";

    private final ReactiveRedisDataSource redis;
    private final int perSecond;
    private final long intervalNanos;
    private final AtomicLong nextFreeSlot = new AtomicLong(System.nanoTime());

    public TelegramRateLimiter(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "telegram.rate-limit-per-second", defaultValue = "30") int rateLimitPerSecond) {
        if (rateLimitPerSecond < 1) {
            throw new IllegalArgumentException("telegram.rate-limit-per-second must be at least 1");
        }
        this.redis = redis;
        this.perSecond = Math.max(1, rateLimitPerSecond - 1);
        this.intervalNanos = 1_000_000_000L / perSecond;
    }

    /** Completes when this caller may send its request. */
    @WithSpan("TelegramRateLimiter.acquire")
    public Uni<Void> acquire() {
        return localSlot().chain(this::globalTicket);
    }

    /**
     * A ticket of the current second if one is left, without waiting: for callers that must answer quickly and can
     * do without the call (a webhook's optional pre-flight). {@code false}: the budget of this second is used up.
     */
    public Uni<Boolean> tryAcquire() {
        long second = System.currentTimeMillis() / 1000;
        return redis.execute("EVAL", TAKE_TICKET, "1", WINDOW_PREFIX + second).map(taken -> taken.toLong() <= perSecond);
    }

    private Uni<Void> localSlot() {
        long now = System.nanoTime();
        long slot = nextFreeSlot.getAndUpdate(next -> Math.max(next, now) + intervalNanos);
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(slot, now) - now);
        // timers have millisecond resolution (and refuse less than 1 ms): a shorter wait goes at once
        return waitMillis < 1 ? Uni.createFrom().voidItem() : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(waitMillis));
    }

    private Uni<Void> globalTicket() {
        long nowMillis = System.currentTimeMillis();
        long second = nowMillis / 1000;
        return redis.execute("EVAL", TAKE_TICKET, "1", WINDOW_PREFIX + second)
                .flatMap(taken -> {
                    if (taken.toLong() <= perSecond) {
                        return Uni.createFrom().voidItem();
                    }
                    // spread the waiters over the start of the next second instead of stampeding it
                    long untilNextSecond = Math.max(1, (second + 1) * 1000 - nowMillis + ThreadLocalRandom.current().nextLong(50));
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(untilNextSecond))
                            .chain(this::globalTicket);
                });
    }
}
