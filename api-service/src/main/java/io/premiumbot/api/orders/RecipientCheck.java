package io.premiumbot.api.orders;

import java.net.ConnectException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks Telegram, before anyone pays, whether a recipient can receive a Premium gift: {@code getChat} shows
 * {@code accepted_gift_types.premium_subscription}. When Telegram can't be asked in time the purchase goes
 * on unverified: a gift Telegram then refuses fails and is refunded automatically by the worker. The check takes a
 * slot from the Telegram budget every replica shares, only one free now: while gifts hold the budget it is
 * skipped rather than waited for (the webhook answers fast; the gifts go first).
 */
@ApplicationScoped
public class RecipientCheck {

    private static final Logger LOG = Logger.getLogger(RecipientCheck.class);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Duration BUDGET_WAIT = Duration.ofMillis(200);

    /** What Telegram said about a recipient. */
    public enum Verdict {
        ACCEPTS_PREMIUM_GIFTS,
        REFUSES_PREMIUM_GIFTS,
        UNKNOWN_TO_TELEGRAM,
        UNVERIFIED
    }

    private final WebClient client;
    private final String getChatUrl;
    private final TelegramRateLimiter budget;
    private final Tracer tracer;

    public RecipientCheck(Vertx vertx, ApiConfig.Telegram telegram, TelegramRateLimiter budget, Tracer tracer) {
        this.budget = budget;
        this.tracer = tracer;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) TIMEOUT.toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(32)
                // a spike queues briefly; what can't be asked within the timeout goes on unverified
                .setMaxWaitQueueSize(1024)
                .setUserAgent("premium-api")
                // no Vert.x HTTP client span: its url.full would carry the token; ask() makes one named getChat
                .setTracingPolicy(TracingPolicy.IGNORE));
        String base = telegram.apiUrl().endsWith("/") ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1) : telegram.apiUrl();
        // carries the token: never logged, never leaves this class
        this.getChatUrl = base + "/bot" + telegram.botToken() + "/getChat";
    }

    public Uni<Verdict> check(long userId) {
        // a few slots' wait at most (calls are spaced evenly, so two webhooks in the same 34 ms would otherwise skip)
        return budget.tryAcquire(BUDGET_WAIT)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("event=telegram_budget_unavailable cause=%s", failure.getClass().getSimpleName());
                    return false;
                })
                .flatMap(granted -> {
                    if (!granted) {
                        // one per purchase while gifts hold the budget: not an INFO line per update
                        LOG.debugf("event=recipient_check_skipped userId=%d reason=telegram_budget_used_up", userId);
                        return Uni.createFrom().item(Verdict.UNVERIFIED);
                    }
                    return ask(userId);
                });
    }

    /** One CLIENT span named after the Bot API method, like the worker's: never the URL, which carries the token. */
    private Uni<Verdict> ask(long userId) {
        Context parent = Context.current();
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder("getChat").setParent(parent).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("rpc.system", "telegram-bot-api").setAttribute("rpc.method", "getChat").startSpan();
            return askTelegram(userId).onTermination().invoke((verdict, failure, cancelled) -> {
                if (verdict != null) {
                    span.setAttribute("telegram.verdict", verdict.name());
                }
                span.end();
            });
        });
    }

    private Uni<Verdict> askTelegram(long userId) {
        return Uni.createFrom().deferred(() -> client.postAbs(getChatUrl)
                        .timeout(TIMEOUT.toMillis())
                        .sendJsonObject(new JsonObject().put("chat_id", userId)))
                .map(response -> {
                    JsonObject body = response.bodyAsJsonObject();
                    if (response.statusCode() == 200 && body != null && body.getBoolean("ok", false)) {
                        JsonObject types = body.getJsonObject("result", new JsonObject()).getJsonObject("accepted_gift_types");
                        // no accepted_gift_types: an older answer shape; Telegram's default accepts gifts
                        return types == null || types.getBoolean("premium_subscription", true)
                                ? Verdict.ACCEPTS_PREMIUM_GIFTS
                                : Verdict.REFUSES_PREMIUM_GIFTS;
                    }
                    if (response.statusCode() == 400) {
                        return Verdict.UNKNOWN_TO_TELEGRAM;
                    }
                    LOG.warnf("event=recipient_check_unverified userId=%d status=%d", userId, response.statusCode());
                    return Verdict.UNVERIFIED;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("event=recipient_check_unverified userId=%d cause=%s", userId,
                            failure instanceof ConnectException ? "connection refused" : failure.getClass().getSimpleName());
                    return Verdict.UNVERIFIED;
                });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
