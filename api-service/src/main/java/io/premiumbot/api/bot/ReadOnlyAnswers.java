package io.premiumbot.api.bot;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Message;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The private messages that change no money and no order: {@code /start}, {@code /help}, {@code /balance},
 * {@code /orders}, {@code /referrals}, {@code /paysupport}, unknown text. Each is answered from at most one statement on the SQL client,
 * outside any transaction and without claiming its {@code update_id}: answering a replay of one of them again is
 * harmless (Telegram only re-sends what got no answer), so they skip the claim's write and the session's cost.
 */
@ApplicationScoped
public class ReadOnlyAnswers {

    /** The commands that write money or orders, or hold an amount: they go through the claimed transaction. */
    private static final Set<String> CHANGING = Set.of("buy", "topup", "promo");

    /** {@code /help} lists the prices; a purchase always reads the price it charges in its own transaction. */
    static final Duration PRICES_FRESH_FOR = Duration.ofSeconds(5);

    private static final String UPSERT_SENDER = """
            insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
            values ($1, $2, $3, $4, 0, now(), now())
            on conflict (telegram_id) do update
               set username = excluded.username, first_name = excluded.first_name,
                   language_code = excluded.language_code, updated_at = now(), bot_blocked_at = null
            returning (xmax = 0) as created""";

    /** /stop ($5 true) and /news ($5 false): the sender's choice about announcements; writing to us means not blocked. */
    private static final String ANNOUNCEMENTS = """
            insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at,
                               announcements_off_at)
            values ($1, $2, $3, $4, 0, now(), now(), case when $5 then now() end)
            on conflict (telegram_id) do update
               set username = excluded.username, first_name = excluded.first_name,
                   language_code = excluded.language_code, updated_at = now(), bot_blocked_at = null,
                   announcements_off_at = case when $5 then coalesce(users.announcements_off_at, now()) end""";

    private static final String BALANCE = "select balance_micros from users where telegram_id = $1";

    private static final String LATEST_ORDERS = """
            select id, months, recipient_id, recipient_username, price_micros, status, pay_method,
                   coalesce(star_price, star_count - discount_stars) as stars
            from orders
            where buyer_id = $1 order by created_at desc limit 5""";

    private static final String PRICES = "select months, price_micros, star_price from prices";

    private final Pool pool;
    private final Referrals referrals;
    private final PaymentMethods methods;
    private volatile PriceList prices;

    public ReadOnlyAnswers(Pool pool, Referrals referrals, PaymentMethods methods) {
        this.pool = pool;
        this.referrals = referrals;
        this.methods = methods;
    }

    /** Whether the update is a private message answered here (none of them needs the recipient check). */
    static boolean answers(TelegramTypes.Update update) {
        Message message = update.message();
        if (message == null
                || message.from() == null
                || message.chat() == null
                || !message.chat().isPrivate()
                || message.successfulPayment() != null
                || message.usersShared() != null) {
            return false;
        }
        if (message.text() == null || message.text().length() > BotCommand.MAX_TEXT_LENGTH) {
            return true;
        }
        BotCommand command = BotCommand.parse(message.text());
        return command == null || !CHANGING.contains(command.name());
    }

    Uni<Reply> answer(Message message) {
        From from = message.from();
        BotTexts texts = BotTexts.forLanguage(from.languageCode());
        long chatId = message.chat().id();
        if (message.text() == null) {
            return say(chatId, texts.get("not_text"));
        }
        if (message.text().length() > BotCommand.MAX_TEXT_LENGTH) {
            return say(chatId, texts.get("too_long"));
        }
        BotCommand command = BotCommand.parse(message.text());
        if (command == null) {
            return say(chatId, texts.get("unknown"));
        }
        return switch (command.name()) {
            case "start" -> start(chatId, from, Referrals.referrerIn(command), texts);
            case "referrals" -> referrals.summary(chatId, from.id(), texts);
            case "help" -> help(chatId, texts);
            case "balance" ->
                methods.starsOnly()
                        ? say(chatId, texts.get("stars_only.not_offered"))
                        : balance(chatId, from.id(), texts);
            case "orders" -> orders(chatId, from.id(), texts);
            case "paysupport" -> say(chatId, texts.get(methods.starsOnly() ? "paysupport.stars" : "paysupport"));
            case "stop" -> announcements(chatId, from, true, texts);
            case "news" -> announcements(chatId, from, false, texts);
            default -> say(chatId, texts.get("unknown"));
        };
    }

    /**
     * The one message that registers its sender (or refreshes their name and language); from a referral link
     * ({@code /start r<id>}) it also records the referrer where the rules allow (a second statement, idempotent).
     */
    private Uni<Reply> start(long chatId, From from, Optional<Long> referrer, BotTexts texts) {
        return pool.preparedQuery(UPSERT_SENDER)
                .execute(Tuple.of(
                        from.id(), from.username(), truncate(from.firstName(), 256), truncate(from.languageCode(), 16)))
                .map(rows -> rows.iterator().next().getBoolean("created"))
                .call(created -> referrer.map(id -> referrals.record(from.id(), id))
                        .orElseGet(() -> Uni.createFrom().item(false)))
                .flatMap(created -> Conversation.menu(chatId, texts.get(startKey(created), displayName(from)), texts))
                .map(Outcome::reply);
    }

    /** {@code /stop} opts out of the operator's announcements, {@code /news} back in; orders are told either way. */
    private Uni<Reply> announcements(long chatId, From from, boolean off, BotTexts texts) {
        return pool.preparedQuery(ANNOUNCEMENTS)
                .execute(Tuple.of(
                        from.id(),
                        from.username(),
                        truncate(from.firstName(), 256),
                        truncate(from.languageCode(), 16),
                        off))
                .flatMap(ignored -> say(chatId, texts.get(off ? "announcements.off" : "announcements.on")));
    }

    private String startKey(boolean created) {
        if (!created) {
            return "start.back";
        }
        return methods.starsOnly() ? "start.new.stars" : "start.new";
    }

    /** Stars-only lists the Stars prices, otherwise the USDT prices. */
    private Uni<Reply> help(long chatId, BotTexts texts) {
        boolean stars = methods.starsOnly();
        return priceList()
                .flatMap(list -> Conversation.menu(
                        chatId,
                        texts.get(
                                stars ? "help.stars" : "help",
                                list.priceOf(3, stars),
                                list.priceOf(6, stars),
                                list.priceOf(12, stars)),
                        texts))
                .map(Outcome::reply);
    }

    /** A sender the bot has never seen has nothing in their wallet. */
    private Uni<Reply> balance(long chatId, long userId, BotTexts texts) {
        return pool.preparedQuery(BALANCE)
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong("balance_micros") : 0L)
                .map(micros -> Reply.message(chatId, texts.get("balance", Money.ofMicros(micros))));
    }

    private Uni<Reply> orders(long chatId, long userId, BotTexts texts) {
        return pool.preparedQuery(LATEST_ORDERS).execute(Tuple.of(userId)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return Reply.message(chatId, texts.get("orders.none"));
            }
            StringBuilder text = new StringBuilder(texts.get("orders.header"));
            for (Row order : rows) {
                long recipient = order.getLong("recipient_id");
                String id = order.getString("id");
                String months = String.valueOf(order.getInteger("months"));
                String label =
                        recipient == userId ? texts.get("buy.yourself") : "@" + order.getString("recipient_username");
                String status = order.getString("status");
                String line;
                if (!methods.starsOnly()) {
                    line = texts.get(
                            "orders.line", id, months, label, Money.ofMicros(order.getLong("price_micros")), status);
                } else if ("STARS".equals(order.getString("pay_method"))) {
                    line = texts.get(
                            "orders.line.stars", id, months, label, String.valueOf(order.getInteger("stars")), status);
                } else {
                    // an order from before the switch to Stars-only: its USDT price isn't shown here
                    line = texts.get("orders.line.no_price", id, months, label, status);
                }
                text.append('\n').append(line);
            }
            return Reply.message(chatId, text.toString());
        });
    }

    /** The prices as read at most {@link #PRICES_FRESH_FOR} ago; concurrent misses may each read them once. */
    private Uni<PriceList> priceList() {
        PriceList current = prices;
        if (current != null && System.nanoTime() - current.readAtNanos() < PRICES_FRESH_FOR.toNanos()) {
            return Uni.createFrom().item(current);
        }
        return pool.preparedQuery(PRICES).execute().map(rows -> {
            Map<Integer, Long> read = new HashMap<>();
            Map<Integer, Integer> stars = new HashMap<>();
            for (Row row : rows) {
                read.put(row.getInteger("months"), row.getLong("price_micros"));
                stars.put(row.getInteger("months"), row.getInteger("star_price"));
            }
            PriceList fresh = new PriceList(Map.copyOf(read), Map.copyOf(stars), System.nanoTime());
            prices = fresh;
            return fresh;
        });
    }

    /** Prices in micros and in Stars by month count, and when they were read. */
    private record PriceList(Map<Integer, Long> micros, Map<Integer, Integer> stars, long readAtNanos) {

        String priceOf(int months, boolean inStars) {
            if (inStars) {
                Integer price = stars.get(months);
                return price == null ? "-" : String.valueOf(price);
            }
            Long price = micros.get(months);
            return price == null ? "-" : Money.ofMicros(price).toString();
        }
    }

    private static Uni<Reply> say(long chatId, String text) {
        return Uni.createFrom().item(Reply.message(chatId, text));
    }

    static String displayName(From from) {
        return from.firstName() != null ? from.firstName() : from.username() != null ? "@" + from.username() : "friend";
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
