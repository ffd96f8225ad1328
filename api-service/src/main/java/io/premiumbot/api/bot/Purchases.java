package io.premiumbot.api.bot;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.Preflight.HandleProblem;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderService;
import io.premiumbot.api.orders.OrderService.PayChoice;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.api.orders.Purchase;
import io.premiumbot.api.orders.RecipientCheck.Verdict;
import io.premiumbot.api.orders.RecipientHandles.Rename;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.promo.PromoCodes;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.user.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The purchase steps shared by text commands and buttons: refuse, confirm, or pay. In the update's transaction. */
@ApplicationScoped
public class Purchases {

    static final DateTimeFormatter EXPIRY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final OrderService orders;
    private final Prices prices;
    private final Confirmations confirmations;
    private final Users users;
    private final PromoCodes promos;
    private final PaymentMethods methods;

    public Purchases(
            OrderService orders,
            Prices prices,
            Confirmations confirmations,
            Users users,
            PromoCodes promos,
            PaymentMethods methods) {
        this.methods = methods;
        this.promos = promos;
        this.users = users;
        this.orders = orders;
        this.prices = prices;
        this.confirmations = confirmations;
    }

    /**
     * Corrects, in the update's transaction, the users Telegram reports under another name than the one typed, so the
     * stale name stops leading to them; a replayed update claims nothing and corrects nothing again.
     */
    Uni<Void> forgetRenamed(Checked checked) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (Rename rename : checked.renamed()) {
            done = done.call(() -> users.renamed(rename.userId(), rename.staleUsername(), rename.currentUsername()));
        }
        return done;
    }

    /** A reply refusing the purchase when the recipient can't receive the gift; empty when they can. */
    static Optional<Outcome> refusal(long chatId, Checked checked, String recipientLabel, BotTexts texts) {
        if (checked.handleProblem() == HandleProblem.UNVERIFIED) {
            return Optional.of(Outcome.of(Reply.message(chatId, texts.get("buy.handle_unverified", recipientLabel))));
        }
        if (checked.handleProblem() == HandleProblem.MOVED) {
            return Optional.of(Outcome.of(Reply.message(chatId, texts.get("buy.handle_moved", recipientLabel))));
        }
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
        return checked.recipientUsername() != null
                ? "@" + checked.recipientUsername()
                : texts.get("buy.recipient_id", String.valueOf(checked.recipientId()));
    }

    /**
     * Shows what will be bought at which price (the buyer's promo code applied where it may be); the pay buttons carry a
     * confirmation that holds both.
     */
    Uni<Outcome> confirm(long chatId, long buyerId, Checked checked, BotTexts texts) {
        Months months = checked.intent().months();
        long recipient = checked.recipientId();
        String label = recipientLabel(checked, buyerId, texts);
        String recipientUsername = recipient == buyerId ? null : checked.recipientUsername();
        return quote(buyerId, months)
                .flatMap(quote -> confirmations
                        .create(buyerId, recipient, recipientUsername, quote, false)
                        .flatMap(confirmation -> balance(buyerId)
                                .map(balance -> Outcome.of(ConfirmationMessages.choice(
                                        chatId, confirmation, recipient, label, quote, balance, methods, texts)))));
    }

    /**
     * {@code /buy N @username} for someone else: a gift can't be taken back, so it asks first, showing the recipient as
     * Telegram reports them now, what and the price; Confirm pays as {@code /buy} typed for oneself does (the wallet
     * if it covers the price, else on-chain), at this price, once.
     */
    Uni<Outcome> confirmGift(long chatId, long buyerId, Checked checked, BotTexts texts) {
        Months months = checked.intent().months();
        long recipient = checked.recipientId();
        String handle = "@" + checked.recipientUsername();
        String name = checked.recipientName() == null ? handle : checked.recipientName();
        return quote(buyerId, months)
                .flatMap(quote -> confirmations
                        .create(buyerId, recipient, checked.recipientUsername(), quote, true)
                        .flatMap(confirmation -> balance(buyerId)
                                .map(balance -> Outcome.of(ConfirmationMessages.gift(
                                        chatId,
                                        confirmation,
                                        recipient,
                                        name,
                                        handle,
                                        quote,
                                        balance,
                                        methods,
                                        texts)))));
    }

    private Uni<Quote> quote(long buyerId, Months months) {
        return prices.listOf(months).flatMap(listed -> promos.quote(buyerId, months, listed.price(), listed.stars()));
    }

    static Uni<Money> balance(long buyerId) {
        return User.<User>findById(buyerId).map(buyer -> Money.ofMicros(buyer.balanceMicros));
    }

    /** {@code /buy} typed in full for oneself: at today's price, with the buyer's promo code where it applies. */
    Uni<Outcome> pay(long chatId, long buyerId, Checked checked, PayChoice choice, BotTexts texts) {
        Months months = checked.intent().months();
        String label = recipientLabel(checked, buyerId, texts);
        String recipientUsername = checked.recipientId() == buyerId ? null : checked.recipientUsername();
        return orders.buy(buyerId, checked.recipientId(), recipientUsername, months, choice)
                .map(purchase -> reply(chatId, purchase, label, texts));
    }

    /** A pay button of a confirmation this tap has claimed: at the price it showed, the order marked as its one purchase. */
    Uni<Outcome> pay(
            long chatId,
            long buyerId,
            Checked checked,
            PayChoice choice,
            Confirmations.Claimed claimed,
            BotTexts texts) {
        String recipientUsername = checked.recipientId() == buyerId ? null : claimed.recipientUsername();
        String label = checked.recipientId() == buyerId || recipientUsername == null
                ? recipientLabel(checked, buyerId, texts)
                : "@" + recipientUsername;
        return orders.buy(buyerId, checked.recipientId(), recipientUsername, claimed.quote(), choice)
                .call(purchase -> confirmations.attach(checked.intent().confirmationId(), purchase.order().id))
                .map(purchase -> reply(chatId, purchase, label, texts));
    }

    Outcome reply(long chatId, Purchase purchase, String label, BotTexts texts) {
        Order order = purchase.order();
        Money price = Money.ofMicros(order.priceMicros);
        String count = String.valueOf(order.months);
        if (purchase instanceof Purchase.PaidFromWallet paid) {
            return new Outcome(
                    Reply.message(chatId, texts.get("buy.paid", order.id, count, label, price, paid.balanceAfter())),
                    order.id);
        }
        if (purchase instanceof Purchase.AwaitingStars) {
            return Outcome.of(invoice(chatId, order, label, texts));
        }
        Purchase.AwaitingPayment waiting = (Purchase.AwaitingPayment) purchase;
        if (waiting.address().isEmpty()) {
            return Outcome.of(Reply.message(
                    chatId,
                    texts.get("buy.await.no_address", order.id, count, label, price, waiting.balance()),
                    payInStarsInstead(order, texts)));
        }
        String text = texts.get(
                "buy.await",
                order.id,
                count,
                label,
                price,
                waiting.balance(),
                waiting.payAmount(),
                waiting.address().get(),
                EXPIRY.format(waiting.expiresAt()));
        return Outcome.of(Reply.message(chatId, text, payInStarsInstead(order, texts)));
    }

    /** Under an on-chain request: the same order paid in Stars instead, where the shop takes Stars. */
    private List<List<Button>> payInStarsInstead(Order order, BotTexts texts) {
        return methods.stars()
                ? List.of(List.of(
                        new Button(texts.get("button.pay_stars", String.valueOf(order.starPrice())), "so:" + order.id)))
                : List.of();
    }

    static Reply invoice(long chatId, Order order, String label, BotTexts texts) {
        String count = String.valueOf(order.months);
        return Reply.starsInvoice(
                chatId,
                texts.get("stars.title", count),
                texts.get("stars.description", count, label, order.id),
                StarsPayments.payload(order.id),
                texts.get("stars.label", count),
                order.starPrice());
    }
}
