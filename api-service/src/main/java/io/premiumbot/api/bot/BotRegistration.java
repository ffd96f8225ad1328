package io.premiumbot.api.bot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.api.support.UnprocessableException;
import io.premiumbot.api.support.UpstreamUnavailableException;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells Telegram where and how to reach the bot, a step of every deployment: the webhook ({@code setWebhook} with
 * the configured URL, the webhook secret, the update kinds the bot reads and the connection limit) and the command
 * menu ({@code setMyCommands}, English for every language and Chinese for {@code zh}). Asking again sets the same
 * values, so running it twice leaves Telegram as running it once. Each call takes a spare slot of the shared
 * Telegram budget, so a setup during a spike waits for the customers, not the other way round.
 */
@ApplicationScoped
public class BotRegistration {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The languages with their own menu besides the default one. */
    private static final List<String> MENU_LANGUAGES = List.of("zh");

    public record Command(String command, String description) {}

    /** One menu as registered; {@code languageCode} null for the default menu (every language without its own). */
    public record Menu(String languageCode, List<Command> commands) {}

    /** The webhook as Telegram reports it after the setup (getWebhookInfo); the secret is never part of it. */
    public record Webhook(String url, long pendingUpdateCount, Integer maxConnections, List<String> allowedUpdates) {}

    public record Setup(Webhook webhook, List<Menu> menus) {}

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;
    private final ApiConfig.Telegram config;
    private final AuditLog audit;
    private final PaymentMethods methods;

    public BotRegistration(
            BotApiClient telegram,
            TelegramRateLimiter budget,
            ApiConfig.Telegram config,
            AuditLog audit,
            PaymentMethods methods) {
        this.methods = methods;
        this.telegram = telegram;
        this.budget = budget;
        this.config = config;
        this.audit = audit;
    }

    /** Registers the webhook and the menus, records who did it, and answers what Telegram now holds. */
    public Uni<Setup> register(Operator operator) {
        if (config.webhookUrl().isEmpty()) {
            return Uni.createFrom()
                    .failure(new ConflictException("the webhook URL is not configured (TELEGRAM_WEBHOOK_URL)"));
        }
        String url = config.webhookUrl().get();
        JsonObject webhook = new JsonObject()
                .put("url", url)
                .put("secret_token", config.webhookSecret())
                .put("allowed_updates", new JsonArray(TelegramTypes.Update.KINDS))
                .put("max_connections", config.webhookMaxConnections());
        List<Menu> menus = new ArrayList<>();
        menus.add(menu(null));
        MENU_LANGUAGES.forEach(language -> menus.add(menu(language)));

        // one after the other: each waits for its own slot of the budget
        Uni<Void> menusSet = Multi.createFrom()
                .iterable(menus)
                .onItem()
                .transformToUniAndConcatenate(menu -> call("setMyCommands", commandsCall(menu)))
                .collect()
                .last()
                .replaceWithVoid();
        return call("setWebhook", webhook)
                .chain(() -> menusSet)
                .chain(() -> Panache.withTransaction(() -> audit.record(
                        "telegram.setup",
                        "telegram:webhook",
                        operator,
                        "url=" + url + " max_connections=" + config.webhookMaxConnections()
                                + " allowed_updates=" + String.join(",", TelegramTypes.Update.KINDS)
                                + " menus=default," + String.join(",", MENU_LANGUAGES))))
                .chain(() -> call("getWebhookInfo", new JsonObject()))
                .map(info -> new Setup(webhookOf((JsonObject) info), menus));
    }

    private Menu menu(String languageCode) {
        BotTexts texts = BotTexts.forLanguage(languageCode);
        return new Menu(
                languageCode,
                BotCommand.menu(methods.starsOnly()).stream()
                        .map(name -> new Command(name, texts.get("command." + name)))
                        .toList());
    }

    private static JsonObject commandsCall(Menu menu) {
        JsonArray commands = new JsonArray();
        menu.commands()
                .forEach(command -> commands.add(
                        new JsonObject().put("command", command.command()).put("description", command.description())));
        JsonObject call = new JsonObject().put("commands", commands);
        if (menu.languageCode() != null) {
            call.put("language_code", menu.languageCode());
        }
        return call;
    }

    private static Webhook webhookOf(JsonObject info) {
        JsonArray allowed = info.getJsonArray("allowed_updates");
        List<String> allowedUpdates =
                allowed == null ? null : allowed.stream().map(String::valueOf).toList();
        return new Webhook(
                info.getString("url", ""),
                info.getLong("pending_update_count", 0L),
                info.getInteger("max_connections"),
                allowedUpdates);
    }

    /**
     * Telegram's answer to one call: a refusal (a 4xx other than 429, e.g. a URL that isn't HTTPS) is the
     * configuration's fault and answered 422 with Telegram's words; no answer, a 429 or a 5xx is Telegram
     * unavailable (503), and asking again later is safe.
     */
    private Uni<Object> call(String method, JsonObject parameters) {
        return budget.acquire(TelegramRateLimiter.Priority.SPARE)
                .chain(() -> telegram.call(method, parameters, TIMEOUT))
                .onFailure()
                .transform(failure -> new UpstreamUnavailableException(
                        method + " could not be asked: " + failure.getClass().getSimpleName()))
                .map(answer -> {
                    if (answer.ok()) {
                        return answer.result();
                    }
                    String detail = method + " answered " + answer.status()
                            + (answer.description().isEmpty() ? "" : ": " + answer.description());
                    if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 429) {
                        throw new UnprocessableException("Telegram refused " + detail);
                    }
                    throw new UpstreamUnavailableException(detail);
                });
    }
}
