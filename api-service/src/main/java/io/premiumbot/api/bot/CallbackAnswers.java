package io.premiumbot.api.bot;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.api.telegram.PerSecondAllowance;
import io.smallrye.config.ConfigMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends {@code answerCallbackQuery} for a button press whose webhook response carries another reply (a message, an
 * invoice): only one Bot API call rides in the response. Sent after the response. It sends no message, so it is not in
 * the 30 messages/s budget the gifts and notifications share (where a promotion's presses queued behind the gifts and
 * most gave up): it has its own bound per replica, {@code bot.callback-answers.per-second}; past it the answer is
 * skipped at once (counted {@code skipped}) and the client's spinner stops by itself. It only stops the spinner, so a
 * failure is counted and logged and changes nothing else.
 */
@ApplicationScoped
public class CallbackAnswers {

    private static final Logger LOG = Logger.getLogger(CallbackAnswers.class);
    /** Telegram drops a callback query's answer after about 15 s; waiting longer is pointless. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);

    private final BotApiClient telegram;
    private final PerSecondAllowance allowance;
    private final Counter sent;
    private final Counter failed;
    private final Counter skipped;

    @ConfigMapping(prefix = "bot.callback-answers")
    public interface Settings {
        /** answerCallbackQuery calls per second per replica; past it the answer is skipped. */
        int perSecond();
    }

    public CallbackAnswers(BotApiClient telegram, Settings settings, MeterRegistry registry) {
        this.telegram = telegram;
        this.allowance = new PerSecondAllowance("bot.callback-answers.per-second", settings.perSecond());
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
        this.skipped = counter(registry, "skipped");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("premium_bot_callback_answers")
                .description("answerCallbackQuery sent after the webhook response, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Starts the call and returns at once. */
    void answerAfter(String callbackQueryId) {
        if (!allowance.tryTake()) {
            skipped.increment();
            LOG.debugf(
                    "event=callback_answer_skipped callbackQueryId=%s reason=callback_answer_limit", callbackQueryId);
            return;
        }
        send(callbackQueryId).subscribe().with(ignored -> sent.increment(), failure -> {
            failed.increment();
            LOG.warnf(
                    "event=callback_answer_failed callbackQueryId=%s cause=%s",
                    callbackQueryId, failure.getClass().getSimpleName());
        });
    }

    private Uni<Void> send(String callbackQueryId) {
        return telegram.call(
                        "answerCallbackQuery",
                        new JsonObject().put("callback_query_id", callbackQueryId),
                        GIVE_UP_AFTER)
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
