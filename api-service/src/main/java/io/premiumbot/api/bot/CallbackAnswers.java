package io.premiumbot.api.bot;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Sends {@code answerCallbackQuery} for a button press whose webhook response carries another reply (a message, an
 * invoice): only one Bot API call rides in the response. Sent after the response, through the shared Telegram budget;
 * it only stops the client's spinner, so a failure is counted and logged and changes nothing else.
 */
@ApplicationScoped
public class CallbackAnswers {

    private static final Logger LOG = Logger.getLogger(CallbackAnswers.class);
    /** Telegram drops a callback query's answer after about 15 s; waiting longer is pointless. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);

    private final WebClient client;
    private final String url;
    private final TelegramRateLimiter budget;
    private final Counter sent;
    private final Counter failed;

    public CallbackAnswers(Vertx vertx, ApiConfig.Telegram telegram, TelegramRateLimiter budget, MeterRegistry registry) {
        this.budget = budget;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(2000)
                .setKeepAlive(true)
                .setMaxPoolSize(16)
                .setMaxWaitQueueSize(1024)
                .setUserAgent("premium-api")
                // no Vert.x HTTP client span: its url.full would carry the token
                .setTracingPolicy(TracingPolicy.IGNORE));
        String base = telegram.apiUrl().endsWith("/") ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1) : telegram.apiUrl();
        // carries the token: never logged, never leaves this class
        this.url = base + "/bot" + telegram.botToken() + "/answerCallbackQuery";
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("premium_bot_callback_answers").description("answerCallbackQuery sent after the webhook response, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** Starts the call and returns at once. */
    void answerAfter(String callbackQueryId) {
        send(callbackQueryId).subscribe().with(
                ignored -> sent.increment(),
                failure -> {
                    failed.increment();
                    LOG.warnf("event=callback_answer_failed callbackQueryId=%s cause=%s", callbackQueryId, failure.getClass().getSimpleName());
                });
    }

    private Uni<Void> send(String callbackQueryId) {
        return budget.acquire(TelegramRateLimiter.Priority.SPARE)
                .chain(() -> client.postAbs(url)
                        .timeout(GIVE_UP_AFTER.toMillis())
                        .sendJsonObject(new JsonObject().put("callback_query_id", callbackQueryId)))
                .ifNoItem().after(GIVE_UP_AFTER).fail()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("answerCallbackQuery answered HTTP " + response.statusCode());
                    }
                    return null;
                });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
