package io.premiumbot.api.orders;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.api.telegram.PerSecondAllowance;
import io.smallrye.config.ConfigMapping;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks Telegram, before anyone pays, whether a recipient can receive a Premium gift: {@code getChat} shows
 * {@code accepted_gift_types.premium_subscription}, and who the account is now (its username and name). When Telegram
 * can't be asked in time the answer is UNVERIFIED: a purchase for a known id then goes on (a gift Telegram refuses
 * fails and is refunded automatically by the worker), a gift to a typed username is refused ({@link RecipientHandles}).
 *
 * <p>{@code getChat} sends nothing to anyone: it never takes a slot of the 30 messages/s budget the gifts use, and a
 * purchase never waits for that budget. Its own bound is {@code bot.recipient-check.per-second} calls per replica
 * (past it, within the second, the check is UNVERIFIED at once). A definite answer is kept in this replica's memory for
 * {@code bot.recipient-check.cache-ttl}: {@link #check} (a recipient given by id: oneself, a picked user, a button)
 * may answer from it; {@link #checkNow} (who holds a typed {@code @username}, a gift confirmation re-checked) always
 * asks Telegram, so a username is never resolved from memory (docs/money.md, "Who a gift goes to").
 */
@ApplicationScoped
public class RecipientCheck {

    private static final Logger LOG = Logger.getLogger(RecipientCheck.class);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    /** Past this many remembered recipients the expired ones are dropped, and all of them if none had expired. */
    static final int MAX_REMEMBERED = 50_000;

    @ConfigMapping(prefix = "bot.recipient-check")
    public interface Settings {
        /** How long this replica answers a check by id from what getChat said; 0 asks every time. */
        Duration cacheTtl();

        /** getChat calls per second per replica; past it a check is UNVERIFIED without waiting. */
        int perSecond();
    }

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

    private record Remembered(Seen seen, long until) {}

    private final BotApiClient telegram;
    private final long ttlNanos;
    private final PerSecondAllowance allowance;
    private final Map<Long, Remembered> remembered = new ConcurrentHashMap<>();

    public RecipientCheck(BotApiClient telegram, Settings settings) {
        this.telegram = telegram;
        this.ttlNanos = settings.cacheTtl().toNanos();
        this.allowance = new PerSecondAllowance("bot.recipient-check.per-second", settings.perSecond());
    }

    /** A recipient given by id: what getChat said about them within the cache TTL stands. */
    public Uni<Seen> check(long userId) {
        Remembered known = remembered.get(userId);
        if (known != null && System.nanoTime() - known.until() < 0) {
            return Uni.createFrom().item(known.seen());
        }
        return checkNow(userId);
    }

    /** Asks Telegram now, whatever it said before: who holds a username is only ever Telegram's answer of the moment. */
    public Uni<Seen> checkNow(long userId) {
        if (!allowance.tryTake()) {
            LOG.debugf("event=recipient_check_skipped userId=%d reason=recipient_check_limit", userId);
            return Uni.createFrom().item(Seen.only(Verdict.UNVERIFIED));
        }
        return ask(userId).invoke(seen -> remember(userId, seen));
    }

    private void remember(long userId, Seen seen) {
        if (ttlNanos <= 0 || seen.verdict() == Verdict.UNVERIFIED) {
            return;
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            long now = System.nanoTime();
            remembered.values().removeIf(entry -> now - entry.until() >= 0);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        remembered.put(userId, new Remembered(seen, System.nanoTime() + ttlNanos));
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
