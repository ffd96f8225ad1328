package io.premiumbot.api.bot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.premiumbot.api.support.ApiConfig;
import io.quarkus.vertx.http.HttpServer;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A new pod is slow for its first minute (the JIT has compiled nothing), exactly when the autoscaler added it for a
 * spike. So readiness stays DOWN until the pod (from the first probe on) has sent itself {@code bot.warm-up.updates} webhook updates over loopback
 * — /start, /help, /balance and unknown text from synthetic users with negative ids (Telegram's are positive) — and
 * then deletes what they wrote. No order, payment or ledger entry is ever made; a failing warm-up only logs.
 */
@ApplicationScoped
@Readiness
public class WebhookWarmUp implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(WebhookWarmUp.class);
    private static final List<String> TEXTS = List.of("/start", "/help", "/balance", "warm-up");
    private static final int USERS = 256;

    @ConfigMapping(prefix = "bot.warm-up")
    public interface Settings {
        /** 0: ready at once, no warm-up. */
        int updates();

        @WithDefault("16")
        int concurrency();

        /** Ready after this long even if not all updates were answered. */
        @WithDefault("30S")
        Duration limit();
    }

    private final Vertx vertx;
    private final Pool pool;
    private final ApiConfig.Telegram telegram;
    private final int updates;
    private final int concurrency;
    private final Duration limit;
    private final HttpServer server;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean done;
    private volatile int answered;

    public WebhookWarmUp(Vertx vertx, Pool pool, ApiConfig.Telegram telegram, Settings settings, HttpServer server) {
        this.vertx = vertx;
        this.pool = pool;
        this.telegram = telegram;
        this.updates = settings.updates();
        this.concurrency = settings.concurrency();
        this.limit = settings.limit();
        this.server = server;
        this.done = updates <= 0;
    }

    /** Started by the first readiness probe: the HTTP server is surely listening by then. */
    private void start() {
        if (started.compareAndSet(false, true)) {
            warmUp().subscribe().with(count -> finish(count, null), failure -> finish(0, failure));
        }
    }

    private Uni<Integer> warmUp() {
        long started = System.nanoTime();
        // a random negative range per pod, so that two pods warming at once never share a row
        long userBase = -ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        WebClient client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setDefaultHost("127.0.0.1")
                        .setDefaultPort(server.getPort())
                        .setKeepAlive(true)
                        .setMaxPoolSize(concurrency)
                        .setTracingPolicy(TracingPolicy.IGNORE));
        AtomicInteger answered = new AtomicInteger();
        return Multi.createFrom()
                .range(0, updates)
                .onItem()
                .transformToUni(i -> send(client, userBase, i).invoke(ok -> {
                    if (ok) {
                        answered.incrementAndGet();
                    }
                }))
                .merge(concurrency)
                .collect()
                .last()
                .ifNoItem()
                .after(limit)
                .recoverWithItem(false)
                .replaceWith(() -> answered.get())
                .eventually(() -> {
                    client.close();
                    return cleanUp(userBase);
                })
                .invoke(count -> LOG.infof(
                        "event=webhook_warm_up_done updates=%d tookMs=%d",
                        count, (System.nanoTime() - started) / 1_000_000));
    }

    private Uni<Boolean> send(WebClient client, long userBase, int i) {
        long user = userBase - (i % USERS);
        long updateId = userBase * 1000 - i;
        String body = "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + i + ",\"date\":0,\"text\":\""
                + TEXTS.get(i % TEXTS.size()) + "\",\"from\":{\"id\":" + user
                + ",\"is_bot\":false,\"first_name\":\"warm-up\","
                + "\"language_code\":\"en\"},\"chat\":{\"id\":" + user + ",\"type\":\"private\"}}}";
        return client.request(HttpMethod.POST, "/telegram/webhook")
                .putHeader("Content-Type", "application/json")
                .putHeader(TelegramWebhookResource.SECRET_HEADER, telegram.webhookSecret())
                .sendBuffer(Buffer.buffer(body))
                .map(response -> response.statusCode() == 200)
                .onFailure()
                .recoverWithItem(false);
    }

    /** The synthetic users and their update_ids go; their flood counters expire by themselves. */
    private Uni<Void> cleanUp(long userBase) {
        long lowestUser = userBase - USERS;
        return pool.preparedQuery("delete from processed_updates where update_id between $1 and $2")
                .execute(Tuple.of(userBase * 1000 - updates, userBase * 1000))
                .flatMap(ignored -> pool.preparedQuery("delete from users where telegram_id between $1 and $2")
                        .execute(Tuple.of(lowestUser, userBase)))
                .replaceWithVoid();
    }

    private void finish(int count, Throwable failure) {
        answered = count;
        if (failure != null) {
            LOG.warnf(
                    "event=webhook_warm_up_failed cause=%s", failure.getClass().getSimpleName());
        }
        done = true;
    }

    @Override
    public HealthCheckResponse call() {
        if (!done) {
            start();
        }
        return HealthCheckResponse.named("webhook-warm-up")
                .status(done)
                .withData("answered", answered)
                .build();
    }
}
