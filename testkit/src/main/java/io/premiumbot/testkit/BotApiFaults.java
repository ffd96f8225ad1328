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
 * limit per wall-clock second, a flood wait of the whole bot, and a stall (every request accepted and held, then all
 * carried out in arrival order).
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

    /**
     * One request held by a stall, released in its turn. {@link #dropped()} when the fake was reset meanwhile: the
     * request is then forgotten, not carried out. {@link #done()} lets the next one go, once its work is done.
     */
    interface Turn {
        boolean dropped();

        void done();
    }

    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    /** Guards the stall: whether Telegram stalls, the arrival tickets of held requests, whose turn it is. */
    private final Object stallLock = new Object();

    private boolean stalled;
    private long generation;
    private long nextTicket;
    private long nowServing;
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
        synchronized (stallLock) {
            // held requests of the previous test are forgotten, never carried out into the next one's state
            stalled = false;
            generation++;
            nowServing = nextTicket;
            stallLock.notifyAll();
        }
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

    /** From now on requests are accepted and held, unanswered and not carried out, until {@link #catchUp()}. */
    void stall() {
        synchronized (stallLock) {
            stalled = true;
        }
    }

    /** Ends the stall: the held requests are carried out one by one in arrival order, then newer ones. */
    void catchUp() {
        synchronized (stallLock) {
            stalled = false;
            stallLock.notifyAll();
        }
    }

    /**
     * Holds the calling request while Telegram stalls or while requests held before it are still being carried out;
     * null when nothing holds it. A held request waits for the end of the stall and its turn.
     */
    Turn holdWhileStalled() {
        synchronized (stallLock) {
            if (!stalled && nowServing == nextTicket) {
                return null;
            }
            long ticket = nextTicket++;
            long heldIn = generation;
            while (generation == heldIn && (stalled || nowServing != ticket)) {
                try {
                    stallLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            boolean dropped = generation != heldIn || Thread.currentThread().isInterrupted();
            return new Turn() {
                public boolean dropped() {
                    return dropped;
                }

                public void done() {
                    synchronized (stallLock) {
                        if (generation == heldIn) {
                            nowServing = ticket + 1;
                            stallLock.notifyAll();
                        }
                    }
                }
            };
        }
    }

    /**
     * Whether this call, counted as it arrives, is past the flood limit of its wall-clock second. Only sends count, as
     * Telegram's 30 messages/s limits what the bot sends: a read ({@code getChat}, {@code getMe}, {@code
     * getStarTransactions}, any {@code get…}) is neither counted nor refused.
     */
    boolean overRateLimit(String method) {
        int limit = rateLimitPerSecond;
        if (limit <= 0 || method.startsWith("get")) {
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
