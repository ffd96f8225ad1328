package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.premiumbot.model.telegram.TelegramBudgetExhausted;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.premiumbot.model.telegram.TelegramRateLimiter.CallKind;
import io.premiumbot.model.telegram.TelegramRateLimiter.Priority;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Bot API methods the worker uses, rate limited by priority (a gift first, everything else from what gifts
 * leave), guarded by their method group's circuit breaker ({@link TelegramCircuits}) and measured. Every failure
 * arrives as a {@link TelegramException}: the whole call's timeout, once the request was out, {@code OutcomeUnknown};
 * an open circuit, a refused connection or no pooled connection in time {@code NotSent} (nothing was sent); no budget
 * within the bounded wait {@code RateLimited} (nothing was sent).
 * A 429 from Telegram pauses every send of the bot for its {@code retry_after} ({@link TelegramRateLimiter#pauseFor});
 * the methods that only read are not paused.
 */
@ApplicationScoped
public class BotApi {

    private static final Logger LOG = Logger.getLogger(BotApi.class);
    /** Methods that send nothing to anyone: a flood wait doesn't pause them (TelegramRateLimiter says why). */
    private static final Set<String> READS = Set.of("getStarTransactions", "getMyStarBalance", "getWebhookInfo");

    private final BotApiTransport transport;
    private final TelegramCircuits circuits;
    private final TelegramRateLimiter rateLimiter;
    private final MeterRegistry registry;
    private final Tracer tracer;

    public BotApi(
            BotApiTransport transport,
            TelegramCircuits circuits,
            TelegramRateLimiter rateLimiter,
            MeterRegistry registry,
            Tracer tracer) {
        this.transport = transport;
        this.circuits = circuits;
        this.rateLimiter = rateLimiter;
        this.registry = registry;
        this.tracer = tracer;
    }

    /** Gifts Premium from the bot's Stars; completes when Telegram answered {@code true}. */
    public Uni<Void> giftPremiumSubscription(long userId, int monthCount, int starCount) {
        return giftPremiumSubscription(
                userId, monthCount, starCount, Uni.createFrom().voidItem());
    }

    /**
     * Like {@link #giftPremiumSubscription(long, int, int)}, with {@code beforeSend} run after the rate limiter's wait and
     * right before the request goes out; when it fails (e.g. {@link CallWithheld}) nothing is sent.
     */
    public Uni<Void> giftPremiumSubscription(long userId, int monthCount, int starCount, Uni<Void> beforeSend) {
        JsonObject params = new JsonObject()
                .put("user_id", userId)
                .put("month_count", monthCount)
                .put("star_count", starCount);
        return call("giftPremiumSubscription", params, Priority.GIFT, beforeSend)
                .replaceWithVoid();
    }

    /**
     * Gives a Stars payment back to its payer; completes when Telegram answered {@code true}. Asking again for a
     * charge already refunded is answered "CHARGE_ALREADY_REFUNDED", so a repeat after an unclear answer is safe.
     * Spare budget: the refund waits for the gifts, and a refund that found no budget is tried again later.
     */
    public Uni<Void> refundStarPayment(long userId, String chargeId) {
        return refundStarPayment(userId, chargeId, Uni.createFrom().voidItem());
    }

    /** The same, with {@code beforeSend} run after the rate limiter's wait; when it fails, nothing is sent. */
    public Uni<Void> refundStarPayment(long userId, String chargeId, Uni<Void> beforeSend) {
        return call(
                        "refundStarPayment",
                        new JsonObject().put("user_id", userId).put("telegram_payment_charge_id", chargeId),
                        Priority.SPARE,
                        beforeSend)
                .replaceWithVoid();
    }

    /** A plain text message to a user's private chat; waits for what the gifts leave of the budget. */
    public Uni<Void> sendMessage(long chatId, String text) {
        return call("sendMessage", new JsonObject().put("chat_id", chatId).put("text", text), Priority.SPARE)
                .replaceWithVoid();
    }

    /**
     * An announcement to a customer's private chat, from the lowest priority of the budget: only a slot free right now
     * (else {@link TelegramException.RateLimited} at once, nothing sent). {@code beforeSend} runs right before the
     * request goes out; when it fails (e.g. {@link CallWithheld}) nothing is sent.
     */
    public Uni<Void> sendBroadcast(long chatId, String text, Uni<Void> beforeSend) {
        return call("sendMessage", new JsonObject().put("chat_id", chatId).put("text", text), Priority.BULK, beforeSend)
                .replaceWithVoid();
    }

    /** The bot's Stars balance, whole Stars (rounded toward zero). */
    public Uni<Long> getMyStarBalance() {
        return call("getMyStarBalance", new JsonObject(), Priority.SPARE)
                .map(result -> ((JsonObject) result).getLong("amount"));
    }

    /**
     * Telegram's view of the bot's webhook: {@code url}, {@code pending_update_count}, and when the last delivery to us
     * failed ({@code last_error_date}, {@code last_error_message}, absent when none). Spare budget.
     */
    public Uni<JsonObject> getWebhookInfo() {
        return call("getWebhookInfo", new JsonObject(), Priority.SPARE).map(result -> (JsonObject) result);
    }

    /** One page of the bot's Star transactions, oldest first, read for reconciliation (spare budget). */
    public Uni<JsonArray> getStarTransactions(int offset, int limit) {
        return getStarTransactions(offset, limit, Priority.SPARE);
    }

    /** The same page; {@link Priority#GIFT} when a gift waits on the answer (e.g. checking an ambiguous outcome). */
    public Uni<JsonArray> getStarTransactions(int offset, int limit, Priority priority) {
        return call(
                        "getStarTransactions",
                        new JsonObject().put("offset", offset).put("limit", limit),
                        priority)
                .map(result -> ((JsonObject) result).getJsonArray("transactions", new JsonArray()));
    }

    /**
     * One CLIENT span per Bot API method call, named after the method (never the URL: it carries the token),
     * child of whatever span is current when the call is made, ended on success, failure and cancellation.
     */
    private Uni<Object> call(String method, JsonObject params, Priority priority) {
        return call(method, params, priority, Uni.createFrom().voidItem());
    }

    private Uni<Object> call(String method, JsonObject params, Priority priority, Uni<Void> beforeSend) {
        Context parent = Context.current();
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(method)
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("rpc.system", "telegram-bot-api")
                    .setAttribute("rpc.method", method)
                    .startSpan();
            return measured(method, params, priority, span, beforeSend)
                    .onTermination()
                    .invoke((result, failure, cancelled) -> {
                        if (failure != null) {
                            span.recordException(failure);
                            span.setAttribute("telegram.outcome", outcome(failure));
                            span.setStatus(StatusCode.ERROR, outcome(failure));
                        } else if (cancelled) {
                            span.setStatus(StatusCode.ERROR, "cancelled");
                        }
                        span.end();
                    });
        });
    }

    private Uni<Object> measured(String method, JsonObject params, Priority priority, Span span, Uni<Void> beforeSend) {
        // an open circuit fails the call before it spends a slot of the budget or stamps anything sent
        Optional<Duration> open = circuits.openFor(method);
        if (open.isPresent()) {
            TelegramException failure = new TelegramException.NotSent(method, "circuit open", open.get(), null);
            record(method, span, System.nanoTime(), failure);
            return Uni.createFrom().failure(failure);
        }
        // either way the limiter failed before anything was sent: safe to retry
        return rateLimiter
                .acquire(priority, READS.contains(method) ? CallKind.READ : CallKind.SEND)
                .onFailure()
                .transform(failure -> failure instanceof TelegramBudgetExhausted exhausted
                        ? new TelegramException.RateLimited(method, exhausted.retryAfter())
                        : TelegramException.NotSent.ourSide(
                                method,
                                "rate limiter unavailable: "
                                        + failure.getClass().getSimpleName(),
                                failure))
                .chain(() -> {
                    // the call's bound starts before beforeSend stamps a gift's attempt sent: at sent_at + the call
                    // timeout the request was answered, reset, or never written
                    long deadline = transport.deadlineFromNow();
                    return beforeSend.chain(() -> {
                        long start = System.nanoTime();
                        return circuits.call(method, () -> transport.post(method, params, deadline))
                                .onFailure()
                                .transform(failure -> classify(method, failure))
                                .onFailure(TelegramException.RateLimited.class)
                                .call(limited -> floodWait(method, (TelegramException.RateLimited) limited))
                                .onItemOrFailure()
                                .invoke((result, failure) -> record(method, span, start, failure));
                    });
                });
    }

    private void record(String method, Span span, long start, Throwable failure) {
        String outcome = outcome(failure);
        // recorded with the call's span current, so the histogram's exemplar points at it
        try (Scope ignored = span.makeCurrent()) {
            Timer.builder("premium.telegram.requests")
                    .description("Bot API calls by method and outcome")
                    .tag("method", method)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        if (failure != null) {
            LOG.warnf(
                    "event=telegram_call_failed method=%s outcome=%s error=%s", method, outcome, failure.getMessage());
        }
    }

    /**
     * Telegram's 429 is a flood wait of the whole bot: every replica's sends wait it out. Not recorded (Redis down): the
     * caller still waits {@code retry_after} for its own call, as the 429 says.
     */
    private Uni<Void> floodWait(String method, TelegramException.RateLimited limited) {
        return rateLimiter
                .pauseFor(limited.retryAfter())
                .invoke(lasts -> LOG.warnf("event=telegram_flood_wait method=%s lasts_ms=%d", method, lasts.toMillis()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.errorf("event=telegram_flood_wait_not_recorded method=%s error=%s", method, failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Throwable classify(String method, Throwable failure) {
        if (failure instanceof TelegramException) {
            return failure;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            // opened by another call since this one looked: nothing was sent
            return new TelegramException.NotSent(
                    method, "circuit open", circuits.openFor(method).orElse(null), failure);
        }
        // anything else happened after the request may have left: the honest answer is "unknown"
        return new TelegramException.OutcomeUnknown(method, failure);
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "ok";
        }
        if (failure instanceof TelegramException.RateLimited) {
            return "rate_limited";
        }
        if (failure instanceof TelegramException.NotSent) {
            return "not_sent";
        }
        if (failure instanceof TelegramException.Unavailable) {
            return "unavailable";
        }
        if (failure instanceof TelegramException.Rejected) {
            return "rejected";
        }
        if (failure instanceof CallWithheld) {
            return "withheld";
        }
        return "unknown";
    }
}
