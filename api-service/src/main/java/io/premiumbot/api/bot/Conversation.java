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
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.payments.PayAmounts;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.api.treasury.StarTopUps;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.money.InvalidAmountException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Answers the private messages that change money or orders: purchases, top-ups, promo codes, a picked recipient, a Stars payment. In the update's transaction. */
@ApplicationScoped
public class Conversation {

    private static final Money MIN_TOPUP = Money.ofUnits(1);
    private static final Money MAX_TOPUP = Money.ofUnits(10_000);

    private final Users users;
    private final Purchases purchases;
    private final PayAmounts payAmounts;
    private final StarsPayments stars;
    private final ApiConfig.Payments payments;
    private final PromoCommand promo;
    private final StarTopUps topUps;
    private final PaymentMethods methods;

    public Conversation(
            Users users,
            Purchases purchases,
            PayAmounts payAmounts,
            StarsPayments stars,
            ApiConfig.Payments payments,
            PromoCommand promo,
            StarTopUps topUps,
            PaymentMethods methods) {
        this.topUps = topUps;
        this.methods = methods;
        this.promo = promo;
        this.users = users;
        this.purchases = purchases;
        this.payAmounts = payAmounts;
        this.stars = stars;
        this.payments = payments;
    }

    /**
     * The messages that change money or orders ({@link ReadOnlyAnswers} takes every other one): a Stars payment, a picked
     * recipient, {@code /buy}, {@code /topup}, {@code /promo}. The sender is registered (or refreshed) first: each of these needs them.
     */
    public Uni<Outcome> answer(Message message, Optional<Checked> checked) {
        From from = message.from();
        BotTexts texts = BotTexts.forLanguage(from.languageCode());
        long chatId = message.chat().id();
        return users.register(from.id(), from.username(), from.firstName(), from.languageCode())
                .flatMap(registered -> {
                    if (message.successfulPayment() != null) {
                        return starsPaid(chatId, from, message, texts);
                    }
                    if (message.usersShared() != null) {
                        return checked.map(c -> pickedRecipient(chatId, from.id(), c, texts))
                                .orElseGet(() -> Outcome.say(chatId, texts.get("callback.unsupported")));
                    }
                    BotCommand command = BotCommand.parse(message.text());
                    return switch (command == null ? "" : command.name()) {
                        case "buy" ->
                            checked.map(c -> buy(chatId, from.id(), c, texts))
                                    .orElseGet(() -> Outcome.say(chatId, texts.get("buy.usage")));
                        case "topup" ->
                            methods.usdt()
                                    ? topUp(chatId, from.id(), command, texts)
                                    : Outcome.say(chatId, texts.get("stars_only.not_offered"));
                        case "promo" -> promo.answer(chatId, from.id(), command, texts);
                        default -> Outcome.say(chatId, texts.get("unknown"));
                    };
                });
    }

    /** The months to buy as buttons under a text. */
    static Uni<Outcome> menu(long chatId, String text, BotTexts texts) {
        List<Button> row = java.util.Arrays.stream(Months.values())
                .map(months ->
                        new Button(texts.get("button.months", String.valueOf(months.count())), "buy:" + months.count()))
                .toList();
        return Uni.createFrom().item(Outcome.of(Reply.message(chatId, text, List.of(row))));
    }

    /**
     * {@code /buy} typed in full for oneself is the confirmed form: wallet if it covers the price, else on-chain (a
     * Stars-only shop sends the Stars invoice). For someone else it asks first: a gift to a stranger can't be taken back.
     */
    private Uni<Outcome> buy(long chatId, long buyerId, Checked checked, BotTexts texts) {
        if (checked.intent().step() != Step.PAY_AUTO) {
            return Outcome.say(chatId, texts.get("buy.usage"));
        }
        String label = Purchases.recipientLabel(checked, buyerId, texts);
        return purchases
                .forgetRenamed(checked)
                .flatMap(corrected -> purchases
                        .refusal(chatId, checked, label, texts)
                        .map(refusal -> Uni.createFrom().item(refusal))
                        .orElseGet(() -> checked.recipientId() == buyerId
                                ? purchases.pay(chatId, buyerId, checked, Buttons.autoChoice(methods), texts)
                                : purchases.confirmGift(chatId, buyerId, checked, texts)));
    }

    private Uni<Outcome> pickedRecipient(long chatId, long buyerId, Checked checked, BotTexts texts) {
        // the picked user becomes known to the bot, so /buy 3 @them works later too
        Uni<Boolean> remember = checked.recipientId() == null
                ? Uni.createFrom().item(false)
                : users.remember(checked.recipientId(), checked.recipientUsername());
        String label = Purchases.recipientLabel(checked, buyerId, texts);
        return remember.flatMap(ignored -> purchases
                .refusal(chatId, checked, label, texts)
                .map(refusal -> Uni.createFrom().item(refusal))
                .orElseGet(() -> purchases.confirm(chatId, buyerId, checked, texts)));
    }

    private Uni<Outcome> starsPaid(long chatId, From from, Message message, BotTexts texts) {
        var payment = message.successfulPayment();
        if (StarTopUps.isTopUp(payment.invoicePayload())) {
            return topUpPaid(chatId, from, payment, texts);
        }
        return stars.record(
                        from.id(), payment.telegramPaymentChargeId(), payment.totalAmount(), payment.invoicePayload())
                .map(result -> switch (result.recorded()) {
                    case ALREADY_RECORDED -> Outcome.NOTHING;
                    case REFUNDING ->
                        Outcome.of(Reply.message(
                                chatId, texts.get("stars.refunding", String.valueOf(payment.totalAmount()))));
                    case PAID ->
                        new Outcome(
                                Reply.message(
                                        chatId,
                                        result.heldUntil() == null
                                                ? texts.get(
                                                        "stars.paid",
                                                        result.orderId(),
                                                        String.valueOf(payment.totalAmount()))
                                                : texts.get(
                                                        "stars.paid_held",
                                                        result.orderId(),
                                                        String.valueOf(payment.totalAmount()),
                                                        Purchases.EXPIRY.format(result.heldUntil()))),
                                result.orderId());
                });
    }

    /** An operator's top-up: never an order, never a wallet credit. */
    private Uni<Outcome> topUpPaid(long chatId, From from, TelegramTypes.SuccessfulPayment payment, BotTexts texts) {
        String stars = String.valueOf(payment.totalAmount());
        return topUps.record(
                        from.id(), payment.telegramPaymentChargeId(), payment.totalAmount(), payment.invoicePayload())
                .map(result -> switch (result.recorded()) {
                    case ALREADY_RECORDED -> Outcome.NOTHING;
                    case TOPPED_UP -> Outcome.of(Reply.message(chatId, texts.get("topup.stars.paid", stars)));
                    case REFUNDING -> Outcome.of(Reply.message(chatId, texts.get("stars.refunding", stars)));
                });
    }

    private Uni<Outcome> topUp(long chatId, long userId, BotCommand command, BotTexts texts) {
        Money amount;
        try {
            amount = Money.parse(command.argument(0));
        } catch (InvalidAmountException e) {
            return Outcome.say(chatId, texts.get("topup.usage"));
        }
        if (amount.compareTo(MIN_TOPUP) < 0
                || amount.compareTo(MAX_TOPUP) > 0
                || command.arguments().size() != 1) {
            return Outcome.say(chatId, texts.get("topup.usage"));
        }
        Optional<String> address = payments.receiveAddress();
        if (address.isEmpty()) {
            return Outcome.say(chatId, texts.get("topup.no_address"));
        }
        Instant now = Instant.now();
        Instant expiresAt = now.plus(payments.requestTtl());
        // the same amount asked again answers the open request: one customer can't hold the amount space
        return payAmounts
                .lockCustomer(userId)
                .flatMap(balance -> payAmounts.openTopUp(userId, amount, now.plus(PayAmounts.MIN_TIME_LEFT_TO_REUSE)))
                .flatMap(open -> open != null
                        ? Outcome.say(
                                chatId,
                                texts.get(
                                        "topup.await",
                                        Money.ofMicros(open.amountMicros),
                                        address.get(),
                                        Purchases.EXPIRY.format(open.expiresAt)))
                        : payAmounts
                                .allocate(userId, null, amount, now, expiresAt)
                                .flatMap(payAmount -> Outcome.say(
                                        chatId,
                                        texts.get(
                                                "topup.await",
                                                payAmount,
                                                address.get(),
                                                Purchases.EXPIRY.format(expiresAt)))))
                .onFailure(NoFreePayAmountException.class)
                .recoverWithUni(() -> Outcome.say(chatId, texts.get("buy.busy")));
    }
}
