package io.premiumbot.api.orders;

import java.net.ConnectException;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks Telegram, before anyone pays, whether a recipient can receive a Premium gift: {@code getChat} shows
 * {@code accepted_gift_types.premium_subscription}, and who the account is now (its username and name). When Telegram
 * can't be asked in time the answer is UNVERIFIED: a purchase for a known id then goes on (a gift Telegram refuses
 * fails and is refunded automatically by the worker), a gift to a typed username is refused ({@link RecipientHandles}).
 * The check takes a slot from the Telegram budget every replica shares, only one free now: while gifts hold the budget
 * it is skipped rather than waited for (the webhook answers fast; the gifts go first).
 */
@ApplicationScoped
public class RecipientCheck {

    private static final Logger LOG = Logger.getLogger(RecipientCheck.class);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final Duration BUDGET_WAIT = Duration.ofMillis(200);

    /** What Telegram said about a recipient. */
    public enum Verdict {
        ACCEPTS_PREMIUM_GIFTS,
        REFUSES_PREMIUM_GIFTS,
        UNKNOWN_TO_TELEGRAM,
        UNVERIFIED
    }

    /**
     * What Telegram said about a recipient: the verdict and, when getChat answered, the username (null: none) and name
     * it reports for the account now.
     */
    public record Seen(Verdict verdict, String username, String name) {

        static Seen only(Verdict verdict) {
            return new Seen(verdict, null, null);
        }

        /** Telegram reports this account under {@code handle} now (usernames compare case-insensitively). */
        public boolean holds(String handle) {
            return username != null && handle != null && username.equalsIgnoreCase(handle);
        }
    }

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;

    public RecipientCheck(BotApiClient telegram, TelegramRateLimiter budget) {
        this.telegram = telegram;
        this.budget = budget;
    }

    public Uni<Seen> check(long userId) {
        // a few slots' wait at most (calls are spaced evenly, so two webhooks in the same 34 ms would otherwise skip)
        return budget.tryAcquire(BUDGET_WAIT)
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "event=telegram_budget_unavailable cause=%s",
                            failure.getClass().getSimpleName());
                    return false;
                })
                .flatMap(granted -> {
                    if (!granted) {
                        // one per purchase while gifts hold the budget: not an INFO line per update
                        LOG.debugf("event=recipient_check_skipped userId=%d reason=telegram_budget_used_up", userId);
                        return Uni.createFrom().item(Seen.only(Verdict.UNVERIFIED));
                    }
                    return ask(userId);
                });
    }

    private Uni<Seen> ask(long userId) {
        return telegram.call("getChat", new JsonObject().put("chat_id", userId), TIMEOUT)
                .map(answer -> {
                    if (answer.ok()) {
                        JsonObject result = answer.result() instanceof JsonObject chat ? chat : new JsonObject();
                        JsonObject types = result.getJsonObject("accepted_gift_types");
                        // no accepted_gift_types: an older answer shape; Telegram's default accepts gifts
                        Verdict verdict = types == null || types.getBoolean("premium_subscription", true)
                                ? Verdict.ACCEPTS_PREMIUM_GIFTS
                                : Verdict.REFUSES_PREMIUM_GIFTS;
                        return new Seen(verdict, result.getString("username"), nameOf(result));
                    }
                    if (answer.status() == 400) {
                        return Seen.only(Verdict.UNKNOWN_TO_TELEGRAM);
                    }
                    LOG.warnf("event=recipient_check_unverified userId=%d status=%d", userId, answer.status());
                    return Seen.only(Verdict.UNVERIFIED);
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    LOG.warnf(
                            "event=recipient_check_unverified userId=%d cause=%s",
                            userId,
                            failure instanceof ConnectException
                                    ? "connection refused"
                                    : failure.getClass().getSimpleName());
                    return Seen.only(Verdict.UNVERIFIED);
                });
    }

    /** A private chat's first and last name as Telegram shows them; null when it has none. */
    private static String nameOf(JsonObject chat) {
        String first = chat.getString("first_name");
        String last = chat.getString("last_name");
        if (first == null || first.isBlank()) {
            return last == null || last.isBlank() ? null : last;
        }
        return last == null || last.isBlank() ? first : first + " " + last;
    }
}
