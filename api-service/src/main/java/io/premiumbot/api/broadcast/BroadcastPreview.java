package io.premiumbot.api.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.premiumbot.api.alerts.AlertsConfig;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.broadcast.Broadcasts.Broadcast;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.UpstreamUnavailableException;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramBudgetExhausted;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends a draft's texts, one message per language, to the operator's own Telegram chat (from the spare budget, after
 * the gifts), so they see exactly what customers will; only then may the draft be started.
 */
@ApplicationScoped
public class BroadcastPreview {

    private static final Logger LOG = Logger.getLogger(BroadcastPreview.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Broadcasts broadcasts;
    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;
    private final Optional<List<Long>> operatorChats;

    public BroadcastPreview(
            Broadcasts broadcasts, BotApiClient telegram, TelegramRateLimiter budget, AlertsConfig alerts) {
        this.broadcasts = broadcasts;
        this.telegram = telegram;
        this.budget = budget;
        this.operatorChats = alerts.chatIds();
    }

    /** The chat a preview goes to when the operator names none: the first operator alert chat, if any. */
    public Optional<Long> defaultChat() {
        return operatorChats.filter(chats -> !chats.isEmpty()).map(chats -> chats.get(0));
    }

    public Uni<Broadcast> preview(long id, Long chatId, Operator operator) {
        long chat = Optional.ofNullable(chatId)
                .or(this::defaultChat)
                .orElseThrow(() -> new IllegalArgumentException(
                        "chatId: the Telegram chat id to preview in (none configured in OPERATOR_ALERT_CHAT_IDS)"));
        return broadcasts
                .find(id)
                .flatMap(broadcast -> {
                    if (!"DRAFT".equals(broadcast.status())) {
                        return Uni.createFrom()
                                .failure(new ConflictException("broadcast " + id + " is " + broadcast.status()
                                        + ": only a draft is previewed"));
                    }
                    return Multi.createFrom()
                            .iterable(broadcast.texts().values())
                            .onItem()
                            .transformToUniAndConcatenate(text -> send(chat, text))
                            .collect()
                            .last()
                            .replaceWithVoid();
                })
                .flatMap(sent -> broadcasts.previewed(id, chat, operator));
    }

    private Uni<Void> send(long chat, String text) {
        return budget.acquire(TelegramRateLimiter.Priority.SPARE)
                .onFailure(TelegramBudgetExhausted.class)
                .transform(busy -> new UpstreamUnavailableException(
                        "the Telegram budget is busy with gifts; try the preview again in a moment"))
                .chain(() -> telegram.call(
                        "sendMessage", new JsonObject().put("chat_id", chat).put("text", text), TIMEOUT))
                .onFailure(failure -> !(failure instanceof UpstreamUnavailableException))
                .transform(failure -> new UpstreamUnavailableException("Telegram did not answer the preview: "
                        + failure.getClass().getSimpleName()))
                .flatMap(answer -> {
                    if (answer.ok()) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("event=broadcast_preview_refused chat=%d status=%d", chat, answer.status());
                    return Uni.createFrom()
                            .failure(new IllegalArgumentException("Telegram refused the preview to chat " + chat + ": "
                                    + answer.description()
                                    + " (the operator must have started a chat with the bot)"));
                });
    }
}
