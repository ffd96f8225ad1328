package io.premiumbot.api.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.premiumbot.api.support.UpstreamUnavailableException;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bot's own Telegram Stars, for the operator: the balance ({@code getMyStarBalance}) and the latest
 * transactions ({@code getStarTransactions}, which lists oldest first, so the last pages are read). Each call
 * takes a ticket from the Telegram budget every replica shares.
 */
@ApplicationScoped
public class BotStars {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PAGE = 100;
    /** Enough for a busy bot's recent history without reading it all on every page view. */
    private static final int MAX_PAGES = 20;

    /** One Star transaction: positive {@code amount} came in (a buyer paid), negative went out (a gift). */
    public record StarTransaction(String id, long amount, Instant date, String partner, String kind, Long userId) {}

    public record Overview(long balance, List<StarTransaction> recent, boolean olderOnesSkipped) {}

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;

    public BotStars(BotApiClient telegram, TelegramRateLimiter budget) {
        this.telegram = telegram;
        this.budget = budget;
    }

    /** The bot's Stars now. */
    public Uni<Long> balance() {
        return call("getMyStarBalance", new JsonObject()).map(result -> ((JsonObject) result).getLong("amount", 0L));
    }

    public Uni<Overview> overview(int limit) {
        return balance()
                .flatMap(balance -> transactions(0, new ArrayList<>()).map(all -> {
                    int from = Math.max(0, all.size() - limit);
                    List<StarTransaction> recent = new ArrayList<>(all.subList(from, all.size()));
                    Collections.reverse(recent);
                    return new Overview(balance, recent, all.size() >= PAGE * MAX_PAGES);
                }));
    }

    private Uni<List<StarTransaction>> transactions(int page, List<StarTransaction> soFar) {
        return call(
                        "getStarTransactions",
                        new JsonObject().put("offset", page * PAGE).put("limit", PAGE))
                .flatMap(result -> {
                    JsonArray items = ((JsonObject) result).getJsonArray("transactions", new JsonArray());
                    for (int i = 0; i < items.size(); i++) {
                        soFar.add(read(items.getJsonObject(i)));
                    }
                    return items.size() < PAGE || page + 1 >= MAX_PAGES
                            ? Uni.createFrom().item(soFar)
                            : transactions(page + 1, soFar);
                });
    }

    private Uni<Object> call(String method, JsonObject body) {
        // reads of the bot's own state: a flood wait (which pauses sends) doesn't hold them
        return budget.acquire(TelegramRateLimiter.Priority.SPARE, TelegramRateLimiter.CallKind.READ)
                .chain(() -> telegram.call(method, body, TIMEOUT))
                .map(answer -> {
                    if (!answer.ok()) {
                        throw new TelegramUnavailableException(method + " answered " + answer.status()
                                + (answer.description().isEmpty() ? "" : ": " + answer.description()));
                    }
                    return answer.result();
                })
                .onFailure(failure -> !(failure instanceof TelegramUnavailableException))
                .transform(failure -> new TelegramUnavailableException(
                        method + " could not be asked: " + failure.getClass().getSimpleName()));
    }

    private static StarTransaction read(JsonObject item) {
        JsonObject source = item.getJsonObject("source");
        JsonObject partner = source != null ? source : item.getJsonObject("receiver", new JsonObject());
        long amount = item.getLong("amount", 0L);
        JsonObject user = partner.getJsonObject("user");
        return new StarTransaction(
                item.getString("id"),
                source != null ? amount : -amount,
                Instant.ofEpochSecond(item.getLong("date", 0L)),
                partner.getString("type"),
                partner.getString("transaction_type"),
                user == null ? null : user.getLong("id"));
    }

    /** Telegram did not answer usefully; the operator can try again. */
    public static final class TelegramUnavailableException extends UpstreamUnavailableException {
        private static final long serialVersionUID = 1L;

        public TelegramUnavailableException(String message) {
            super(message);
        }
    }
}
