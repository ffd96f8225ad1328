package io.premiumbot.api.bot;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderService;
import io.premiumbot.api.orders.OrderService.PayChoice;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.api.orders.Purchase;
import io.premiumbot.api.orders.RecipientCheck.Verdict;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.user.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The purchase steps shared by text commands and buttons: refuse, confirm, or pay. In the update's transaction. */
@ApplicationScoped
public class Purchases {

    static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final OrderService orders;
    private final Prices prices;

    public Purchases(OrderService orders, Prices prices) {
        this.orders = orders;
        this.prices = prices;
    }

    /** A reply refusing the purchase when the recipient can't receive the gift; empty when they can. */
    Optional<Outcome> refusal(long chatId, Checked checked, String recipientLabel, BotTexts texts) {
        if (!checked.knownToTheBot()) {
            return Optional.of(Outcome.of(Reply.message(chatId, texts.get("buy.unknown_recipient", recipientLabel))));
        }
        if (checked.verdict() == Verdict.UNKNOWN_TO_TELEGRAM) {
            return Optional.of(Outcome.of(Reply.message(chatId, texts.get("buy.unknown_to_telegram", recipientLabel))));
        }
        if (checked.verdict() == Verdict.REFUSES_PREMIUM_GIFTS) {
            return Optional.of(Outcome.of(Reply.message(chatId, texts.get("buy.refuses", recipientLabel))));
        }
        return Optional.empty();
    }

    /** Who the gift is for, as the buyer reads it. */
    static String recipientLabel(Checked checked, long buyerId, BotTexts texts) {
        if (checked.recipientId() != null && checked.recipientId() == buyerId) {
            return texts.get("buy.yourself");
        }
        return checked.recipientUsername() != null ? "@" + checked.recipientUsername() : texts.get("buy.recipient_id", String.valueOf(checked.recipientId()));
    }

    Uni<Outcome> confirm(long chatId, long buyerId, Checked checked, BotTexts texts) {
        Months months = checked.intent().months();
        long recipient = checked.recipientId();
        String label = recipientLabel(checked, buyerId, texts);
        return prices.priceOf(months).flatMap(price -> User.<User>findById(buyerId).map(buyer -> {
            String text = texts.get("buy.confirm", String.valueOf(months.count()), label, price, String.valueOf(months.stars()),
                    Money.ofMicros(buyer.balanceMicros));
            List<List<Button>> buttons = List.of(
                    List.of(new Button(texts.get("button.pay_wallet", price), PurchaseIntent.button(Step.PAY_WALLET, months, recipient))),
                    List.of(new Button(texts.get("button.pay_chain"), PurchaseIntent.button(Step.PAY_CHAIN, months, recipient))),
                    List.of(new Button(texts.get("button.pay_stars", String.valueOf(months.stars())),
                            PurchaseIntent.button(Step.PAY_STARS, months, recipient))));
            return Outcome.of(Reply.message(chatId, text, buttons));
        }));
    }

    Uni<Outcome> pay(long chatId, long buyerId, Checked checked, PayChoice choice, BotTexts texts) {
        Months months = checked.intent().months();
        String label = recipientLabel(checked, buyerId, texts);
        String recipientUsername = checked.recipientId() == buyerId ? null : checked.recipientUsername();
        return orders.buy(buyerId, checked.recipientId(), recipientUsername, months, choice)
                .map(purchase -> reply(chatId, purchase, label, texts));
    }

    private static Outcome reply(long chatId, Purchase purchase, String label, BotTexts texts) {
        Order order = purchase.order();
        Money price = Money.ofMicros(order.priceMicros);
        String count = String.valueOf(order.months);
        if (purchase instanceof Purchase.PaidFromWallet paid) {
            return new Outcome(Reply.message(chatId, texts.get("buy.paid", order.id, count, label, price, paid.balanceAfter())), order.id);
        }
        if (purchase instanceof Purchase.AwaitingStars) {
            return Outcome.of(invoice(chatId, order, label, texts));
        }
        Purchase.AwaitingPayment waiting = (Purchase.AwaitingPayment) purchase;
        if (waiting.address().isEmpty()) {
            return Outcome.of(Reply.message(chatId, texts.get("buy.await.no_address", order.id, count, label, price, waiting.balance()),
                    List.of(List.of(new Button(texts.get("button.pay_stars", String.valueOf(order.starCount)), "so:" + order.id)))));
        }
        String text = texts.get("buy.await", order.id, count, label, price, waiting.balance(), waiting.payAmount(),
                waiting.address().get(), EXPIRY.format(waiting.expiresAt()));
        return Outcome.of(Reply.message(chatId, text,
                List.of(List.of(new Button(texts.get("button.pay_stars", String.valueOf(order.starCount)), "so:" + order.id)))));
    }

    static Reply invoice(long chatId, Order order, String label, BotTexts texts) {
        String count = String.valueOf(order.months);
        return Reply.starsInvoice(chatId, texts.get("stars.title", count), texts.get("stars.description", count, label, order.id),
                StarsPayments.payload(order.id), texts.get("stars.label", count), order.starCount);
    }
}
