package io.premiumbot.api.bot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Message;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.api.orders.OrderService;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.api.orders.Purchase;
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.payments.PayAmounts;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.money.InvalidAmountException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.Price;
import io.premiumbot.model.user.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Answers one private text message. Runs inside the update's transaction. */
@ApplicationScoped
public class Conversation {

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Money MIN_TOPUP = Money.ofUnits(1);
    private static final Money MAX_TOPUP = Money.ofUnits(10_000);

    private final Users users;
    private final OrderService orderService;
    private final OrderQueries orderQueries;
    private final Prices prices;
    private final PayAmounts payAmounts;
    private final ApiConfig.Payments payments;

    public Conversation(Users users, OrderService orderService, OrderQueries orderQueries, Prices prices,
            PayAmounts payAmounts, ApiConfig.Payments payments) {
        this.users = users;
        this.orderService = orderService;
        this.orderQueries = orderQueries;
        this.prices = prices;
        this.payAmounts = payAmounts;
        this.payments = payments;
    }

    /** What a message led to: the reply, and the order to enqueue for delivery once committed. */
    public record Outcome(Reply reply, String paidOrderId) {
        static Outcome reply(Reply reply) {
            return new Outcome(reply, null);
        }
    }

    public Uni<Outcome> answer(Message message) {
        From from = message.from();
        BotTexts texts = BotTexts.forLanguage(from.languageCode());
        long chatId = message.chat().id();
        return users.register(from.id(), from.username(), from.firstName(), from.languageCode())
                .flatMap(isNew -> {
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
                        case "start" -> say(chatId, texts.get(isNew ? "start.new" : "start.back", displayName(from)));
                        case "help" -> help(chatId, texts);
                        case "balance" -> balance(chatId, from.id(), texts);
                        case "buy" -> buy(chatId, from, command, texts);
                        case "orders" -> orders(chatId, from.id(), texts);
                        case "topup" -> topUp(chatId, from.id(), command, texts);
                        case "paysupport" -> say(chatId, texts.get("paysupport"));
                        default -> say(chatId, texts.get("unknown"));
                    };
                });
    }

    private Uni<Outcome> help(long chatId, BotTexts texts) {
        return prices.all().flatMap(all -> say(chatId, texts.get("help", priceOf(all, 3), priceOf(all, 6), priceOf(all, 12))));
    }

    private static String priceOf(List<Price> all, int months) {
        return all.stream().filter(price -> price.months == months).findFirst()
                .map(price -> Money.ofMicros(price.priceMicros).toString()).orElse("-");
    }

    private Uni<Outcome> balance(long chatId, long userId, BotTexts texts) {
        return User.<User>findById(userId).flatMap(user -> say(chatId, texts.get("balance", Money.ofMicros(user.balanceMicros))));
    }

    private Uni<Outcome> buy(long chatId, From from, BotCommand command, BotTexts texts) {
        Optional<Months> months = parseMonths(command.argument(0));
        if (months.isEmpty() || command.arguments().size() > 2) {
            return say(chatId, texts.get("buy.usage"));
        }
        String recipientName = command.argument(1);
        if (recipientName == null) {
            return purchase(chatId, from.id(), from.id(), null, texts.get("buy.yourself"), months.get(), texts);
        }
        String username = recipientName.startsWith("@") ? recipientName.substring(1) : recipientName;
        if (!username.matches("[A-Za-z0-9_]{4,32}")) {
            return say(chatId, texts.get("buy.unknown_recipient", recipientName));
        }
        return users.byUsername(username).flatMap(recipient -> recipient == null
                ? say(chatId, texts.get("buy.unknown_recipient", "@" + username))
                : purchase(chatId, from.id(), recipient.telegramId, recipient.username, "@" + recipient.username, months.get(), texts));
    }

    private Uni<Outcome> purchase(long chatId, long buyerId, long recipientId, String recipientUsername, String recipientLabel,
            Months months, BotTexts texts) {
        return orderService.buy(buyerId, recipientId, recipientUsername, months).map(purchase -> {
            Order order = purchase.order();
            Money price = Money.ofMicros(order.priceMicros);
            String count = String.valueOf(months.count());
            if (purchase instanceof Purchase.PaidFromWallet paid) {
                return new Outcome(Reply.message(chatId, texts.get("buy.paid", order.id, count, recipientLabel, price,
                        paid.balanceAfter())), order.id);
            }
            Purchase.AwaitingPayment waiting = (Purchase.AwaitingPayment) purchase;
            String text = waiting.address()
                    .map(address -> texts.get("buy.await", order.id, count, recipientLabel, price, waiting.balance(),
                            waiting.payAmount(), address, EXPIRY.format(waiting.expiresAt())))
                    .orElseGet(() -> texts.get("buy.await.no_address", order.id, count, recipientLabel, price,
                            waiting.balance()));
            return Outcome.reply(Reply.message(chatId, text));
        });
    }

    private Uni<Outcome> orders(long chatId, long userId, BotTexts texts) {
        return orderQueries.latestOf(userId, 5).flatMap(orders -> {
            if (orders.isEmpty()) {
                return say(chatId, texts.get("orders.none"));
            }
            StringBuilder text = new StringBuilder(texts.get("orders.header"));
            for (Order order : orders) {
                text.append('\n').append(texts.get("orders.line", order.id, String.valueOf(order.months),
                        order.recipientId == userId ? texts.get("buy.yourself") : "@" + order.recipientUsername,
                        Money.ofMicros(order.priceMicros), order.status.name()));
            }
            return say(chatId, text.toString());
        });
    }

    private Uni<Outcome> topUp(long chatId, long userId, BotCommand command, BotTexts texts) {
        Money amount;
        try {
            amount = Money.parse(command.argument(0));
        } catch (InvalidAmountException e) {
            return say(chatId, texts.get("topup.usage"));
        }
        if (amount.compareTo(MIN_TOPUP) < 0 || amount.compareTo(MAX_TOPUP) > 0 || command.arguments().size() != 1) {
            return say(chatId, texts.get("topup.usage"));
        }
        Optional<String> address = payments.receiveAddress();
        if (address.isEmpty()) {
            return say(chatId, texts.get("topup.no_address"));
        }
        Instant now = Instant.now();
        Instant expiresAt = now.plus(payments.requestTtl());
        return payAmounts.allocate(userId, null, amount, now, expiresAt)
                .flatMap(payAmount -> say(chatId, texts.get("topup.await", payAmount, address.get(), EXPIRY.format(expiresAt))))
                .onFailure(NoFreePayAmountException.class).recoverWithUni(() -> say(chatId, texts.get("buy.busy")));
    }

    private static Optional<Months> parseMonths(String argument) {
        if (argument == null || !argument.matches("\\d{1,2}")) {
            return Optional.empty();
        }
        return Months.of(Integer.parseInt(argument));
    }

    private static String displayName(From from) {
        return from.firstName() != null ? from.firstName() : from.username() != null ? "@" + from.username() : "friend";
    }

    private static Uni<Outcome> say(long chatId, String text) {
        return Uni.createFrom().item(Outcome.reply(Reply.message(chatId, text)));
    }
}
