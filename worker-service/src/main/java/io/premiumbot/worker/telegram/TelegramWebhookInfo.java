package io.premiumbot.worker.telegram;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.model.queue.QueueKeys;
import io.premiumbot.worker.queue.WorkerConfig;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Telegram's own view of our webhook, the number that matters in a spike: how many updates Telegram holds for us
 * ({@code pending_update_count}) and when delivering one to us last failed. Each interval one replica — the one whose
 * {@code SET NX} on the poller key wins — asks {@code getWebhookInfo} from the spare Telegram budget and writes the
 * answer to Redis; every replica reads it from there into its gauges, so all report the same values (take
 * {@code max()}). The error message is free text: the metric carries only its kind (a fixed set), the masked message
 * goes to the log once per new error. Before the first answer, or once the shared answer is stale, the gauges are NaN.
 */
@Startup
@ApplicationScoped
public class TelegramWebhookInfo {

    private static final Logger LOG = Logger.getLogger(TelegramWebhookInfo.class);
    static final String INFO_KEY = QueueKeys.HASH_TAG + ":telegram:webhook-info";
    static final String POLLER_KEY = QueueKeys.HASH_TAG + ":telegram:webhook-info:poller";
    /** The shared answer counts as current for this many intervals (a failed poll or two keep the last one). */
    private static final int FRESH_FOR_INTERVALS = 4;

    /** What Telegram's {@code last_error_message} says went wrong, as a bounded label. */
    public enum ErrorKind {
        NONE,
        WRONG_RESPONSE,
        TIMEOUT,
        CONNECTION,
        TLS,
        OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ErrorKind of(String message) {
            if (message == null || message.isBlank()) {
                return NONE;
            }
            String text = message.toLowerCase(Locale.ROOT);
            if (text.startsWith("wrong response from the webhook")) {
                return WRONG_RESPONSE;
            }
            if (text.contains("timeout") || text.contains("timed out")) {
                return TIMEOUT;
            }
            if (text.contains("ssl") || text.contains("certificate")) {
                return TLS;
            }
            if (text.contains("connection") || text.contains("resolve host")) {
                return CONNECTION;
            }
            return OTHER;
        }
    }

    private final BotApi botApi;
    private final ReactiveValueCommands<String, String> values;
    private final WorkerIdentity identity;
    private final Duration every;
    private final AtomicReference<Double> pending = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lastErrorAt = new AtomicReference<>(Double.NaN);
    private final AtomicReference<ErrorKind> lastErrorKind = new AtomicReference<>();
    private final AtomicLong lastLoggedErrorAt = new AtomicLong();

    public TelegramWebhookInfo(
            BotApi botApi,
            ReactiveRedisDataSource redis,
            WorkerIdentity identity,
            WorkerConfig config,
            MeterRegistry registry) {
        this.botApi = botApi;
        this.values = redis.value(String.class);
        this.identity = identity;
        this.every = interval(config.schedule().webhookInfoEvery());
        Gauge.builder("premium.telegram.webhook.pending.updates", pending, AtomicReference::get)
                .description("Updates Telegram holds for the webhook (getWebhookInfo pending_update_count)")
                .register(registry);
        Gauge.builder("premium.telegram.webhook.last.error.timestamp.seconds", lastErrorAt, AtomicReference::get)
                .description("Unix time Telegram last failed to deliver an update to the webhook (0: never)")
                .register(registry);
        for (ErrorKind kind : ErrorKind.values()) {
            Gauge.builder(
                            "premium.telegram.webhook.last.error",
                            lastErrorKind,
                            current -> current.get() == null ? Double.NaN : current.get() == kind ? 1 : 0)
                    .description("1 for the kind of Telegram's last webhook delivery error (none: no error reported)")
                    .tag("kind", kind.label())
                    .register(registry);
        }
    }

    @Scheduled(
            identity = "telegram-webhook-info",
            every = "${worker.schedule.webhook-info-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh();
    }

    /** Polls Telegram if this replica wins the interval, then reads the shared answer into the gauges. */
    public Uni<Void> refresh() {
        return values.setAndChanged(
                        POLLER_KEY, identity.id(), new SetArgs().nx().px(claimFor()))
                .chain(won -> won ? pollTelegram() : Uni.createFrom().voidItem())
                .chain(() -> values.get(INFO_KEY))
                .invoke(this::show)
                .replaceWithVoid();
    }

    /** A failed call leaves the shared answer alone (it goes stale, the gauges NaN); it is logged and never thrown. */
    private Uni<Void> pollTelegram() {
        return botApi.getWebhookInfo()
                .chain(info -> {
                    String message = info.getString("last_error_message");
                    long errorAt = info.getLong("last_error_date", 0L);
                    if (errorAt > 0 && lastLoggedErrorAt.getAndSet(errorAt) != errorAt) {
                        LOG.warnf(
                                "event=telegram_webhook_error at=%s kind=%s pending=%d message=%s",
                                Instant.ofEpochSecond(errorAt),
                                ErrorKind.of(message).label(),
                                info.getLong("pending_update_count", 0L),
                                message);
                    }
                    JsonObject shared = new JsonObject()
                            .put("pending", info.getLong("pending_update_count", 0L))
                            .put("errorAt", errorAt)
                            .put("errorKind", (errorAt > 0 ? ErrorKind.of(message) : ErrorKind.NONE).name())
                            .put("polledAt", Instant.now().getEpochSecond());
                    return values.setex(
                            INFO_KEY, every.multipliedBy(FRESH_FOR_INTERVALS).toSeconds() + 1, shared.encode());
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf("event=telegram_webhook_info_failed error=%s", failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    private void show(String shared) {
        if (shared == null) {
            pending.set(Double.NaN);
            lastErrorAt.set(Double.NaN);
            lastErrorKind.set(null);
            return;
        }
        JsonObject info = new JsonObject(shared);
        pending.set(info.getLong("pending").doubleValue());
        lastErrorAt.set(info.getLong("errorAt").doubleValue());
        lastErrorKind.set(ErrorKind.valueOf(info.getString("errorKind")));
    }

    /** Slightly under one interval, so the next interval's tick can claim again. */
    private long claimFor() {
        return Math.max(100, every.toMillis() * 9 / 10);
    }

    private static Duration interval(String every) {
        String value = every.trim();
        if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("disabled")) {
            return Duration.ofMinutes(1);
        }
        return DurationConverter.parseDuration(value);
    }
}
