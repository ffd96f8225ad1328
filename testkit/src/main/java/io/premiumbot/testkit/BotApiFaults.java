package io.premiumbot.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link FakeBotApi}'s tests script on top of the Telegram it plays: an error, a 429 or an answer that never comes
 * for the next call of a method (for anyone, or only about one user), a latency before every answer, a flood
 * limit per wall-clock second, and a flood wait of the whole bot.
 */
final class BotApiFaults {

    /** What a flood wait refuses: everything the bot sends; reads of its own state are answered. */
    static final Set<String> SENDS = Set.of(
            "giftPremiumSubscription",
            "sendMessage",
            "sendInvoice",
            "refundStarPayment",
            "answerCallbackQuery",
            "answerPreCheckoutQuery");

    /** A scripted answer for the next call of a method, for any user or only for one ({@code userId}). */
    record Fault(
            int status,
            String description,
            Integer retryAfter,
            Duration hang,
            Long userId,
            boolean carriedOut,
            boolean startsFloodWait) {

        static Fault error(int status, String description, Long userId) {
            return new Fault(status, description, null, null, userId, false, false);
        }

        static Fault errorAfterDoing(int status, String description, long userId) {
            return new Fault(status, description, null, null, userId, true, false);
        }

        static Fault tooManyRequests(int retryAfterSeconds, Long userId) {
            return new Fault(
                    429,
                    "Too Many Requests: retry after " + retryAfterSeconds,
                    retryAfterSeconds,
                    null,
                    userId,
                    false,
                    false);
        }

        static Fault floodWait(int retryAfterSeconds, Long userId) {
            return new Fault(
                    429,
                    "Too Many Requests: retry after " + retryAfterSeconds,
                    retryAfterSeconds,
                    null,
                    userId,
                    false,
                    true);
        }

        static Fault hang(Duration delay, Long userId) {
            return new Fault(200, null, null, delay, userId, false, false);
        }

        boolean appliesTo(Map<String, String> params) {
            if (userId == null) {
                return true;
            }
            String target = params.getOrDefault("user_id", params.get("chat_id"));
            return String.valueOf(userId).equals(target);
        }
    }

    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    /** Added before every answer (benchmarks: a Bot API answering in e.g. 50 ms); zero by default. */
    private volatile Duration latency = Duration.ZERO;
    /** Calls allowed per wall-clock second before answering 429 (benchmarks); 0 = no limit, the default. */
    private volatile int rateLimitPerSecond;

    private final AtomicLong rateWindowSecond = new AtomicLong();
    private final AtomicLong rateWindowCount = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    /** While a flood wait lasts, the end of it; null when none. */
    private volatile Instant floodUntil;

    void reset() {
        floodUntil = null;
        faults.clear();
        latency = Duration.ZERO;
        rateLimitPerSecond = 0;
        rateLimited.set(0);
    }

    void latency(Duration delay) {
        this.latency = delay == null ? Duration.ZERO : delay;
    }

    Duration latency() {
        return latency;
    }

    void rateLimitPerSecond(int perSecond) {
        this.rateLimitPerSecond = Math.max(0, perSecond);
    }

    long rateLimitedCount() {
        return rateLimited.get();
    }

    void queue(String method, Fault fault) {
        Deque<Fault> queue = faults.computeIfAbsent(method, key -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addLast(fault);
        }
    }

    /** From now on, for {@code retryAfter}, every send is answered 429 with what is left of the wait. */
    void floodFor(Duration retryAfter) {
        floodUntil = Instant.now().plus(retryAfter);
    }

    /** Whole seconds left of the bot's flood wait for a call of {@code method} arriving now; 0 when it may go. */
    int floodSecondsLeft(String method) {
        Instant until = floodUntil;
        if (until == null || !SENDS.contains(method)) {
            return 0;
        }
        long millis = Duration.between(Instant.now(), until).toMillis();
        return millis <= 0 ? 0 : (int) ((millis + 999) / 1000);
    }

    /** Whether this call, counted as it arrives, is past the flood limit of its wall-clock second. */
    boolean overRateLimit() {
        int limit = rateLimitPerSecond;
        if (limit <= 0) {
            return false;
        }
        long second = System.currentTimeMillis() / 1000;
        synchronized (rateWindowCount) {
            if (rateWindowSecond.get() != second) {
                rateWindowSecond.set(second);
                rateWindowCount.set(0);
            }
            boolean over = rateWindowCount.incrementAndGet() > limit;
            if (over) {
                rateLimited.incrementAndGet();
            }
            return over;
        }
    }

    /** The first scripted fault of {@code method} that applies to this call, taken off its queue; null when none. */
    Fault next(String method, Map<String, String> params) {
        Deque<Fault> queue = faults.get(method);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            for (var pending = queue.iterator(); pending.hasNext(); ) {
                Fault fault = pending.next();
                if (fault.appliesTo(params)) {
                    pending.remove();
                    return fault;
                }
            }
            return null;
        }
    }
}
