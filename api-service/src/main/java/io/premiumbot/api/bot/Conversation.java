package io.premiumbot.api.bot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Message;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.api.orders.OrderService.PayChoice;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.payments.PayAmounts;
import io.premiumbot.api.payments.StarsPayments;
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

/** Answers one private message: text commands, a picked recipient, a Stars payment. In the update's transaction. */
@ApplicationScoped
public class Conversation {

    private static final Money MIN_TOPUP = Money.ofUnits(1);
    private static final Money MAX_TOPUP = Money.ofUnits(10_000);

    private final Users users;
    private final Purchases purchases;
    private final OrderQueries orderQueries;
    private final Prices prices;
    private final PayAmounts payAmounts;
    private final StarsPayments stars;
    private final ApiConfig.Payments payments;

    public Conversation(Users users, Purchases purchases, OrderQueries orderQueries, Prices prices, PayAmounts payAmounts,
            StarsPayments stars, ApiConfig.Payments payments) {
        this.users = users;
        this.purchases = purchases;
        this.orderQueries = orderQueries;
        this.prices = prices;
        this.payAmounts = payAmounts;
        this.stars = stars;
        this.payments = payments;
    }

    public Uni<Outcome> answer(Message message, Optional<Checked> checked) {
        From from = message.from();
        BotTexts texts = BotTexts.forLanguage(from.languageCode());
        long chatId = message.chat().id();
        return users.register(from.id(), from.username(), from.firstName(), from.languageCode()).flatMap(isNew -> {
            if (message.successfulPayment() != null) {
                return starsPaid(chatId, from, message, texts);
            }
            if (message.usersShared() != null) {
                return checked.map(c -> pickedRecipient(chatId, from.id(), c, texts))
                        .orElseGet(() -> Outcome.say(chatId, texts.get("callback.unsupported")));
            }
            if (message.text() == null) {
                return Outcome.say(chatId, texts.get("not_text"));
            }
            if (message.text().length() > BotCommand.MAX_TEXT_LENGTH) {
                return Outcome.say(chatId, texts.get("too_long"));
            }
            BotCommand command = BotCommand.parse(message.text());
            if (command == null) {
                return Outcome.say(chatId, texts.get("unknown"));
            }
            return switch (command.name()) {
                case "start" -> menu(chatId, texts.get(isNew ? "start.new" : "start.back", displayName(from)), texts);
                case "help" -> help(chatId, texts);
                case "balance" -> balance(chatId, from.id(), texts);
                case "buy" -> checked.map(c -> buy(chatId, from.id(), c, texts))
                        .orElseGet(() -> Outcome.say(chatId, texts.get("buy.usage")));
                case "orders" -> orders(chatId, from.id(), texts);
                case "topup" -> topUp(chatId, from.id(), command, texts);
                case "paysupport" -> Outcome.say(chatId, texts.get("paysupport"));
                default -> Outcome.say(chatId, texts.get("unknown"));
            };
        });
    }

    /** The months to buy as buttons under a text. */
    static Uni<Outcome> menu(long chatId, String text, BotTexts texts) {
        List<Button> row = java.util.Arrays.stream(Months.values())
                .map(months -> new Button(texts.get("button.months", String.valueOf(months.count())), "buy:" + months.count()))
                .toList();
        return Uni.createFrom().item(Outcome.of(Reply.message(chatId, text, List.of(row))));
    }

    private Uni<Outcome> help(long chatId, BotTexts texts) {
        return prices.all().flatMap(all -> menu(chatId, texts.get("help", priceOf(all, 3), priceOf(all, 6), priceOf(all, 12)), texts));
    }

    private static String priceOf(List<Price> all, int months) {
        return all.stream().filter(price -> price.months == months).findFirst()
                .map(price -> Money.ofMicros(price.priceMicros).toString()).orElse("-");
    }

    private Uni<Outcome> balance(long chatId, long userId, BotTexts texts) {
        return User.<User>findById(userId).flatMap(user -> Outcome.say(chatId, texts.get("balance", Money.ofMicros(user.balanceMicros))));
    }

    /** {@code /buy} typed in full is the confirmed form: wallet if it covers the price, else on-chain. */
    private Uni<Outcome> buy(long chatId, long buyerId, Checked checked, BotTexts texts) {
        if (checked.intent().step() != Step.PAY_AUTO) {
            return Outcome.say(chatId, texts.get("buy.usage"));
        }
        String label = Purchases.recipientLabel(checked, buyerId, texts);
        return purchases.refusal(chatId, checked, label, texts)
                .map(refusal -> Uni.createFrom().item(refusal))
                .orElseGet(() -> purchases.pay(chatId, buyerId, checked, PayChoice.WALLET_OR_CHAIN, texts));
    }

    private Uni<Outcome> pickedRecipient(long chatId, long buyerId, Checked checked, BotTexts texts) {
        // the picked user becomes known to the bot, so /buy 3 @them works later too
        Uni<Boolean> remember = checked.recipientId() == null ? Uni.createFrom().item(false)
                : users.remember(checked.recipientId(), checked.recipientUsername());
        String label = Purchases.recipientLabel(checked, buyerId, texts);
        return remember.flatMap(ignored -> purchases.refusal(chatId, checked, label, texts)
                .map(refusal -> Uni.createFrom().item(refusal))
                .orElseGet(() -> purchases.confirm(chatId, buyerId, checked, texts)));
    }

    private Uni<Outcome> starsPaid(long chatId, From from, Message message, BotTexts texts) {
        var payment = message.successfulPayment();
        return stars.record(from.id(), payment.telegramPaymentChargeId(), payment.totalAmount(), payment.invoicePayload())
                .map(result -> switch (result.recorded()) {
                    case ALREADY_RECORDED -> Outcome.NOTHING;
                    case REFUNDING -> Outcome.of(Reply.message(chatId, texts.get("stars.refunding", String.valueOf(payment.totalAmount()))));
                    case PAID -> new Outcome(Reply.message(chatId, texts.get("stars.paid", result.orderId(),
                            String.valueOf(payment.totalAmount()))), result.orderId());
                });
    }

    private Uni<Outcome> orders(long chatId, long userId, BotTexts texts) {
        return orderQueries.latestOf(userId, 5).flatMap(orders -> {
            if (orders.isEmpty()) {
                return Outcome.say(chatId, texts.get("orders.none"));
            }
            StringBuilder text = new StringBuilder(texts.get("orders.header"));
            for (Order order : orders) {
                text.append('\n').append(texts.get("orders.line", order.id, String.valueOf(order.months),
                        order.recipientId == userId ? texts.get("buy.yourself") : "@" + order.recipientUsername,
                        Money.ofMicros(order.priceMicros), order.status.name()));
            }
            return Outcome.say(chatId, text.toString());
        });
    }

    private Uni<Outcome> topUp(long chatId, long userId, BotCommand command, BotTexts texts) {
        Money amount;
        try {
            amount = Money.parse(command.argument(0));
        } catch (InvalidAmountException e) {
            return Outcome.say(chatId, texts.get("topup.usage"));
        }
        if (amount.compareTo(MIN_TOPUP) < 0 || amount.compareTo(MAX_TOPUP) > 0 || command.arguments().size() != 1) {
            return Outcome.say(chatId, texts.get("topup.usage"));
        }
        Optional<String> address = payments.receiveAddress();
        if (address.isEmpty()) {
            return Outcome.say(chatId, texts.get("topup.no_address"));
        }
        Instant now = Instant.now();
        Instant expiresAt = now.plus(payments.requestTtl());
        return payAmounts.allocate(userId, null, amount, now, expiresAt)
                .flatMap(payAmount -> Outcome.say(chatId, texts.get("topup.await", payAmount, address.get(), Purchases.EXPIRY.format(expiresAt))))
                .onFailure(NoFreePayAmountException.class).recoverWithUni(() -> Outcome.say(chatId, texts.get("buy.busy")));
    }

    private static String displayName(From from) {
        return from.firstName() != null ? from.firstName() : from.username() != null ? "@" + from.username() : "friend";
    }
}
