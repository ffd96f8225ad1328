package io.premiumbot.model.telegram;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The rate toward Telegram: one budget in Redis shared by every replica of both services, spent by priority.
 *
 * <p>The budget is a single "next free slot" time (a GCRA): each call reserves the slot at
 * {@code max(now, next)} and moves {@code next} one interval on, so calls are spaced evenly inside the second
 * (no burst at its start) whichever replica makes them. Time is Redis' own clock, one for every replica. The
 * interval is {@code 1 s / (limit - headroom)}: Telegram counts calls by arrival, and a spare call per second
 * absorbs the network's jitter (with even spacing, 30 − 1 tolerates ~34 ms of it).
 *
 * <p>{@link Priority#GIFT} calls reserve the next slot however far ahead, up to a bounded wait; past it they fail
 * with {@link TelegramBudgetExhausted} (nothing sent, safe to retry), never hang. {@link Priority#SPARE} calls
 * (customer notifications, recipient pre-checks, reconciliation reads) only take a slot that is free now: while
 * gifts queue for the budget the next slot lies in the future and spare calls wait for what the gifts leave.
 * {@link Priority#BULK} calls (broadcasts) take a slot free now after two idle intervals, or fail at once, never
 * waiting in line.
 *
 * <p>A flood wait (Telegram's 429 {@code retry_after}) is the bot's, not one call's: {@link #pauseFor} records a
 * bot-wide "not before" here, and every {@link CallKind#SEND} call of every replica of both services waits for it
 * (a gift fails typed at once when the wait is longer than its bounded wait). Only sends are paused: Telegram's limits
 * are about what the bot sends, a send inside the wait is refused and prolongs it, while reads (the Star transactions
 * that settle gifts, the balance, the webhook's state) send nothing to anyone and settling must not stall behind a
 * flood; a read Telegram refuses all the same comes back as its own 429.
 */
@ApplicationScoped
public class TelegramRateLimiter {

    /** Who may spend the budget first. */
    public enum Priority {
        /** A gift and the checks a gift needs before it can go out. */
        GIFT,
        /** Everything that can wait for the gifts: notifications, pre-checks, reconciliation reads. */
        SPARE,
        /**
         * Broadcasts, last of all: only a slot free at this instant after two whole intervals nobody used, never waited
         * for (the sender looks again later). A queue of gifts or notifications always holds the budget first, and
         * broadcasts never fill it: every slot they take follows two idle ones (at most a third of the rate), which
         * absorb the jitter of calls sent late, so Telegram doesn't count one too many in a second because of them.
         */
        BULK
    }

    /** Whether a call is paused by the bot's flood wait. */
    public enum CallKind {
        /** Sends something (a gift, a message, a refund, a callback answer): waits out a flood wait. */
        SEND,
        /** Only reads the bot's state: not paused. */
        READ
    }

    /**
     * KEYS[1] the next free slot, KEYS[2] the end of the bot's flood wait (µs, Redis time). ARGV: interval µs, the
     * furthest wait µs a reservation may take, 1 when only a slot free now will do, 1 when the call waits out a flood
     * wait, how long µs the budget must have been idle before the free slot (0: not at all). Returns {granted 1|0,
     * wait µs}.
     */
    private static final String RESERVE = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
            local slot = math.max(now, nextSlot)
            if ARGV[4] == '1' then slot = math.max(slot, tonumber(redis.call('GET', KEYS[2]) or '0')) end
            local wait = slot - now
            if ARGV[3] == '1' and wait <= 0 and now - nextSlot < tonumber(ARGV[5]) then return {0, nextSlot + tonumber(ARGV[5]) - now} end
            if (ARGV[3] == '1' and wait > 0) or wait > tonumber(ARGV[2]) then return {0, wait} end
            redis.call('SET', KEYS[1], string.format('%.0f', slot + tonumber(ARGV[1])), 'PX', 60000)
            return {1, wait}""";
    /** How far the next free slot for a send (KEYS[1], KEYS[2] as above) lies ahead of Redis' now, µs; 0 when free now. */
    private static final String PEEK = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'))
            return math.max(0, slot - now)""";
    /**
     * KEYS[1] the end of the bot's flood wait (µs, Redis time); ARGV[1] Telegram's retry_after, µs. Only ever moves the
     * end later. Returns how long the wait now lasts, µs.
     */
    private static final String PAUSE = """
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
            local ends = now + tonumber(ARGV[1])
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if ends > current then
              redis.call('SET', KEYS[1], string.format('%.0f', ends), 'PX', math.floor(tonumber(ARGV[1]) / 1000) + 1000)
              return ends - now
            end
            return current - now""";

    static final String NEXT_SLOT = QueueKeys.HASH_TAG + ":telegram:rate:next";
    static final String FLOOD_UNTIL = QueueKeys.HASH_TAG + ":telegram:flood:until";

    private final ReactiveRedisDataSource redis;
    private final long intervalMicros;
    private final Duration giftMaxWait;
    private final Duration spareMaxWait;

    @Inject
    public TelegramRateLimiter(ReactiveRedisDataSource redis, TelegramBudgetConfig budget) {
        this(
                redis,
                budget.rateLimitPerSecond(),
                budget.rateHeadroomPerSecond(),
                budget.rateMaxWait(),
                budget.rateSpareMaxWait());
    }

    TelegramRateLimiter(
            ReactiveRedisDataSource redis,
            int rateLimitPerSecond,
            int headroomPerSecond,
            Duration giftMaxWait,
            Duration spareMaxWait) {
        if (rateLimitPerSecond < 1) {
            throw new IllegalArgumentException("telegram.rate-limit-per-second must be at least 1");
        }
        if (headroomPerSecond < 0 || headroomPerSecond >= rateLimitPerSecond) {
            throw new IllegalArgumentException(
                    "telegram.rate-headroom-per-second must be at least 0 and below the limit");
        }
        this.redis = redis;
        this.intervalMicros = 1_000_000L / (rateLimitPerSecond - headroomPerSecond);
        this.giftMaxWait = giftMaxWait;
        this.spareMaxWait = spareMaxWait;
    }

    /** The calls per second this limiter lets through at most, headroom taken off. */
    public double callsPerSecond() {
        return 1_000_000.0 / intervalMicros;
    }

    /**
     * Completes when this caller may send its request; fails with {@link TelegramBudgetExhausted} when no slot
     * came within the bounded wait of its priority.
     */
    public Uni<Void> acquire(Priority priority) {
        return acquire(priority, CallKind.SEND);
    }

    /** The same for a call of {@code kind}: a {@link CallKind#SEND} also waits out the bot's flood wait. */
    @WithSpan("TelegramRateLimiter.acquire")
    public Uni<Void> acquire(Priority priority, CallKind kind) {
        boolean send = kind == CallKind.SEND;
        return switch (priority) {
            case GIFT -> reserveGift(send);
            case SPARE -> reserveSpare(System.nanoTime() + spareMaxWait.toNanos(), send);
            case BULK -> reserveBulk(send);
        };
    }

    /**
     * Telegram answered 429 with {@code retryAfter}: no send of this bot, from any replica, goes out before it has
     * passed (a later end already recorded stays). Completes with how long the wait now lasts.
     */
    public Uni<Duration> pauseFor(Duration retryAfter) {
        return redis.execute("EVAL", PAUSE, "1", FLOOD_UNTIL, Long.toString(retryAfter.toNanos() / 1000))
                .map(micros -> Duration.ofNanos(micros.toLong() * 1000));
    }

    /**
     * A slot free right now, without waiting: for callers that must answer quickly and can do without the call
     * (a webhook's optional pre-flight). {@code false}: gifts are using the budget.
     */
    public Uni<Boolean> tryAcquire() {
        return reserve(0, true, false).map(Reservation::granted);
    }

    /**
     * A slot within {@code within}, waited for: for a webhook's optional pre-flight, which may wait a few slots but
     * not behind a queue of gifts. {@code false} (nothing reserved) when the next free slot lies further ahead.
     */
    public Uni<Boolean> tryAcquire(Duration within) {
        return reserve(within.toNanos() / 1000, false, false)
                .flatMap(reservation -> reservation.granted()
                        ? waitFor(reservation.waitMicros()).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    /**
     * How long until the budget has a slot free for a spare call, reserving nothing: lets a sender of spare calls
     * wait before it picks what to send (so what accumulates meanwhile can go out together).
     */
    public Uni<Duration> untilFree() {
        return redis.execute("EVAL", PEEK, "2", NEXT_SLOT, FLOOD_UNTIL)
                .map(micros -> Duration.ofNanos(micros.toLong() * 1000));
    }

    private Uni<Void> reserveGift(boolean send) {
        return reserve(giftMaxWait.toNanos() / 1000, false, send)
                .flatMap(reservation -> reservation.granted()
                        ? waitFor(reservation.waitMicros())
                        : Uni.createFrom()
                                .failure(new TelegramBudgetExhausted(
                                        Priority.GIFT, Duration.ofNanos(reservation.waitMicros() * 1000))));
    }

    private Uni<Void> reserveBulk(boolean send) {
        return reserve(0, true, send, 2 * intervalMicros)
                .flatMap(reservation -> reservation.granted()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                                .failure(new TelegramBudgetExhausted(
                                        Priority.BULK, Duration.ofNanos(reservation.waitMicros() * 1000))));
    }

    private Uni<Void> reserveSpare(long deadlineNanos, boolean send) {
        return reserve(0, true, send).flatMap(reservation -> {
            if (reservation.granted()) {
                return Uni.createFrom().voidItem();
            }
            // look again when the queued gifts should have gone, spread so spare callers don't arrive together
            long againMicros =
                    reservation.waitMicros() + ThreadLocalRandom.current().nextLong(intervalMicros);
            if (System.nanoTime() + againMicros * 1000 > deadlineNanos) {
                return Uni.createFrom()
                        .failure(new TelegramBudgetExhausted(Priority.SPARE, Duration.ofNanos(againMicros * 1000)));
            }
            return waitFor(againMicros).chain(() -> reserveSpare(deadlineNanos, send));
        });
    }

    private Uni<Reservation> reserve(long maxWaitMicros, boolean onlyIfFreeNow, boolean send) {
        return reserve(maxWaitMicros, onlyIfFreeNow, send, 0);
    }

    private Uni<Reservation> reserve(long maxWaitMicros, boolean onlyIfFreeNow, boolean send, long idleMicros) {
        return redis.execute(
                        "EVAL",
                        RESERVE,
                        "2",
                        NEXT_SLOT,
                        FLOOD_UNTIL,
                        Long.toString(intervalMicros),
                        Long.toString(maxWaitMicros),
                        onlyIfFreeNow ? "1" : "0",
                        send ? "1" : "0",
                        Long.toString(idleMicros))
                .map(TelegramRateLimiter::reservation);
    }

    private static Reservation reservation(Response answer) {
        return new Reservation(
                answer.get(0).toLong() == 1, Math.max(0, answer.get(1).toLong()));
    }

    private static Uni<Void> waitFor(long micros) {
        // timers have millisecond resolution and refuse less than 1 ms: round up, never call early
        long millis = (micros + 999) / 1000;
        return millis < 1
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis));
    }

    private record Reservation(boolean granted, long waitMicros) {}
}
