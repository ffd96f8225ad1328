package io.premiumbot.api.alerts;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.telegram.TelegramBudgetExhausted;
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
 * {@code sendMessage} to an operator's chat, at low priority in the Telegram budget every replica shares: only
 * when this second's budget has a ticket left, never waiting for one (the next pass tries again).
 */
@ApplicationScoped
public class AlertSender {

    private static final Logger LOG = Logger.getLogger(AlertSender.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final WebClient client;
    private final String sendMessageUrl;
    private final TelegramRateLimiter budget;

    public AlertSender(Vertx vertx, ApiConfig.Telegram telegram, TelegramRateLimiter budget) {
        this.budget = budget;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()).setUserAgent("premium-api")
                // no Vert.x HTTP client span: its url.full would carry the token
                .setTracingPolicy(TracingPolicy.IGNORE));
        String base = telegram.apiUrl().endsWith("/") ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1) : telegram.apiUrl();
        // carries the token: never logged, never leaves this class
        this.sendMessageUrl = base + "/bot" + telegram.botToken() + "/sendMessage";
    }

    /** {@code true} when Telegram took it; {@code false} when there was no budget or Telegram refused. */
    public Uni<Boolean> send(long chatId, String text) {
        // spare budget: waits (bounded) for what the gifts leave; no budget in time means "try on the next pass"
        return budget.acquire(TelegramRateLimiter.Priority.SPARE).replaceWith(true)
                .onFailure(TelegramBudgetExhausted.class).recoverWithItem(false)
                .flatMap(granted -> {
            if (!granted) {
                return Uni.createFrom().item(false);
            }
            return client.postAbs(sendMessageUrl).timeout(TIMEOUT.toMillis())
                    .sendJsonObject(new JsonObject().put("chat_id", chatId).put("text", text).put("link_preview_options",
                            new JsonObject().put("is_disabled", true)))
                    .map(response -> {
                        if (response.statusCode() == 200) {
                            LOG.infof("event=operator_alert_sent chatId=%d", chatId);
                            return true;
                        }
                        LOG.warnf("event=operator_alert_refused chatId=%d status=%d", chatId, response.statusCode());
                        return false;
                    });
        });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
