package io.premiumbot.api.bot;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;
    private final Counter sent;
    private final Counter failed;

    public CallbackAnswers(BotApiClient telegram, TelegramRateLimiter budget, MeterRegistry registry) {
        this.telegram = telegram;
        this.budget = budget;
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("premium_bot_callback_answers")
                .description("answerCallbackQuery sent after the webhook response, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Starts the call and returns at once. */
    void answerAfter(String callbackQueryId) {
        send(callbackQueryId).subscribe().with(ignored -> sent.increment(), failure -> {
            failed.increment();
            LOG.warnf(
                    "event=callback_answer_failed callbackQueryId=%s cause=%s",
                    callbackQueryId, failure.getClass().getSimpleName());
        });
    }

    private Uni<Void> send(String callbackQueryId) {
        return budget.acquire(TelegramRateLimiter.Priority.SPARE)
                .chain(() -> telegram.call(
                        "answerCallbackQuery",
                        new JsonObject().put("callback_query_id", callbackQueryId),
                        GIVE_UP_AFTER))
                .ifNoItem()
                .after(GIVE_UP_AFTER)
                .fail()
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("answerCallbackQuery answered HTTP " + answer.status());
                    }
                    return null;
                });
    }
}
