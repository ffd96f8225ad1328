package io.premiumbot.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link FakeBotApi}'s tests script on top of the Telegram it plays: an error, a 429 or an answer that never comes
 * for the next call of a method (for anyone, or only about one user), a latency before every answer, and a flood
 * limit per wall-clock second.
 */
final class BotApiFaults {

    /** A scripted answer for the next call of a method, for any user or only for one ({@code userId}). */
    record Fault(int status, String description, Integer retryAfter, Duration hang, Long userId, boolean carriedOut) {

        static Fault error(int status, String description, Long userId) {
            return new Fault(status, description, null, null, userId, false);
        }

        static Fault errorAfterDoing(int status, String description, long userId) {
            return new Fault(status, description, null, null, userId, true);
        }

        static Fault tooManyRequests(int retryAfterSeconds, Long userId) {
            return new Fault(
                    429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds, null, userId, false);
        }

        static Fault hang(Duration delay, Long userId) {
            return new Fault(200, null, null, delay, userId, false);
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

    void reset() {
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
