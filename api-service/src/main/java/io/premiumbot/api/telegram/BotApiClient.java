package io.premiumbot.api.telegram;

import java.time.Duration;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.premiumbot.api.support.ApiConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * api-service's one client of the Telegram Bot API (the recipient check, callback answers, the bot's Stars, operator
 * alerts): one connection pool, the token-bearing URL built here and never leaving this class, and one CLIENT span
 * per call named after the method (the Vert.x HTTP client span is off: its {@code url.full} would carry the token).
 * Callers take their slot from the shared {@code TelegramRateLimiter} first, and read the answer themselves.
 */
@ApplicationScoped
public class BotApiClient {

    /** Telegram's answer: the HTTP status and the JSON body ({@code null} when the body was not JSON). */
    public record Answer(int status, JsonObject body) {

        /** HTTP 200 with {@code "ok": true}. */
        public boolean ok() {
            return status == 200 && body != null && body.getBoolean("ok", false);
        }

        /** The {@code result} of a successful call. */
        public Object result() {
            return body == null ? null : body.getValue("result");
        }

        /** Telegram's {@code description} of a refusal, or empty. */
        public String description() {
            return body == null ? "" : body.getString("description", "");
        }
    }

    private final WebClient client;
    private final String baseUrl;
    private final Tracer tracer;

    public BotApiClient(Vertx vertx, ApiConfig.Telegram telegram, Tracer tracer) {
        this.tracer = tracer;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setConnectTimeout(2000)
                        .setKeepAlive(true)
                        .setMaxPoolSize(32)
                        // a spike queues briefly; each caller's timeout bounds the wait
                        .setMaxWaitQueueSize(1024)
                        .setUserAgent("premium-api")
                        .setTracingPolicy(TracingPolicy.IGNORE));
        String base = telegram.apiUrl().endsWith("/")
                ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1)
                : telegram.apiUrl();
        // carries the token: never logged, never leaves this class
        this.baseUrl = base + "/bot" + telegram.botToken() + "/";
    }

    /**
     * Calls {@code method} with {@code parameters}; fails when no answer came within {@code timeout} or the connection
     * failed (the failure names no URL).
     */
    public Uni<Answer> call(String method, JsonObject parameters, Duration timeout) {
        Context parent = Context.current();
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(method)
                    .setParent(parent)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("rpc.system", "telegram-bot-api")
                    .setAttribute("rpc.method", method)
                    .startSpan();
            return client.postAbs(baseUrl + method)
                    .timeout(timeout.toMillis())
                    .sendJsonObject(parameters)
                    .map(response -> new Answer(response.statusCode(), bodyOf(response.bodyAsString())))
                    .onTermination()
                    .invoke((answer, failure, cancelled) -> {
                        if (answer != null) {
                            span.setAttribute("http.response.status_code", answer.status());
                        }
                        if (failure != null) {
                            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                        }
                        span.end();
                    });
        });
    }

    private static JsonObject bodyOf(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(text);
        } catch (io.vertx.core.json.DecodeException e) {
            return null;
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
