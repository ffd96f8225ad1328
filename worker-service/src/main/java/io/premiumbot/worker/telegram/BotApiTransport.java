package io.premiumbot.worker.telegram;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.premiumbot.model.telegram.TelegramBudgetConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One HTTP POST to {@code {api-url}/bot{token}/{method}}, answered as the Bot API's result or a classified
 * {@link TelegramException}. The call timeout and the circuit breaker sit here (overridable per deployment in
 * application.properties); the URL is built here and never leaves this class, because it carries the token.
 */
@ApplicationScoped
public class BotApiTransport {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final WebClient client;
    private final String baseUrl;
    private final String token;

    public BotApiTransport(Vertx vertx, TelegramConfig config, TelegramBudgetConfig budget) {
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setMaxPoolSize(Math.max(8, budget.rateLimitPerSecond()))
                        .setUserAgent("premium-worker")
                        // no Vert.x HTTP client span: its url.full would carry the token; BotApi makes one span per
                        // method
                        .setTracingPolicy(TracingPolicy.IGNORE));
        this.baseUrl = config.apiUrl().endsWith("/")
                ? config.apiUrl().substring(0, config.apiUrl().length() - 1)
                : config.apiUrl();
        this.token = config.botToken();
    }

    /**
     * Failures that say nothing about Telegram's health (a refusal, a 429) don't count toward opening the
     * circuit; timeouts and unavailability do.
     */
    @Timeout(30_000)
    @CircuitBreaker(
            requestVolumeThreshold = 10,
            failureRatio = 0.5,
            delay = 30_000,
            successThreshold = 2,
            skipOn = {TelegramException.Rejected.class, TelegramException.RateLimited.class})
    public Uni<Object> post(String method, JsonObject params) {
        return client.postAbs(baseUrl + "/bot" + token + "/" + method)
                .sendJsonObject(params)
                .onFailure()
                .transform(failure -> notAnswered(method, failure))
                .map(response -> answer(method, response));
    }

    private static TelegramException notAnswered(String method, Throwable failure) {
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return new TelegramException.Unavailable(
                    method, 0, "connection failed: " + failure.getClass().getSimpleName(), failure);
        }
        return new TelegramException.OutcomeUnknown(method, failure);
    }

    private static Object answer(String method, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        JsonObject body;
        try {
            body = response.bodyAsJsonObject();
        } catch (DecodeException e) {
            body = null;
        }
        if (body == null) {
            if (status >= 500) {
                throw new TelegramException.Unavailable(method, status, "no JSON body", null);
            }
            // an answer we can't read after the request was carried out: treat as not knowing
            throw new TelegramException.OutcomeUnknown(
                    method, new IllegalStateException("HTTP " + status + " without a JSON body"));
        }
        if (status == 200 && Boolean.TRUE.equals(body.getBoolean("ok"))) {
            return body.getValue("result");
        }
        int code = body.getInteger("error_code", status);
        String description = body.getString("description", "");
        if (code == 429) {
            JsonObject parameters = body.getJsonObject("parameters");
            Integer retryAfter = parameters == null ? null : parameters.getInteger("retry_after");
            throw new TelegramException.RateLimited(
                    method, retryAfter == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(retryAfter));
        }
        if (code >= 500 || code == 401 || code == 404) {
            // 5xx is Telegram's trouble; 401/404 are our misconfiguration (token, URL): never the customer's fault
            throw new TelegramException.Unavailable(method, code, description, null);
        }
        throw new TelegramException.Rejected(method, code, description);
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
