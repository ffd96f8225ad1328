package io.premiumbot.api.alerts;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramBudgetExhausted;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code sendMessage} to an operator's chat, at low priority in the Telegram budget every replica shares: only
 * when this second's budget has a ticket left, never waiting for one (the next pass tries again).
 */
@ApplicationScoped
public class AlertSender {

    private static final Logger LOG = Logger.getLogger(AlertSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;

    public AlertSender(BotApiClient telegram, TelegramRateLimiter budget) {
        this.telegram = telegram;
        this.budget = budget;
    }

    /** {@code true} when Telegram took it; {@code false} when there was no budget or Telegram refused. */
    public Uni<Boolean> send(long chatId, String text) {
        // spare budget: waits (bounded) for what the gifts leave; no budget in time means "try on the next pass"
        return budget.acquire(TelegramRateLimiter.Priority.SPARE)
                .replaceWith(true)
                .onFailure(TelegramBudgetExhausted.class)
                .recoverWithItem(false)
                .flatMap(granted -> {
                    if (!granted) {
                        return Uni.createFrom().item(false);
                    }
                    return telegram.call(
                                    "sendMessage",
                                    new JsonObject()
                                            .put("chat_id", chatId)
                                            .put("text", text)
                                            .put("link_preview_options", new JsonObject().put("is_disabled", true)),
                                    TIMEOUT)
                            .map(answer -> {
                                if (answer.status() == 200) {
                                    LOG.infof("event=operator_alert_sent chatId=%d", chatId);
                                    return true;
                                }
                                LOG.warnf("event=operator_alert_refused chatId=%d status=%d", chatId, answer.status());
                                return false;
                            });
                });
    }
}
