package io.premiumbot.api.bot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.CallbackQuery;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderService.PayChoice;
import io.premiumbot.api.payments.StarSupply;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.PayMethod;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The button flow, the same purchase as {@code /buy}: months ({@code buy:3}) → recipient: me ({@code to:3:<id>})
 * or picked with Telegram's user picker ({@code pick:3}) → confirmation → pay from the wallet, on-chain or in Stars
 * ({@code pw|pc|ps:3:<id>:<confirmationId>}: one confirmation buys once, at the price it showed); an unpaid order
 * can switch to Stars ({@code so:<orderId>}), only for its buyer. A typed {@code /buy N @username} for someone else
 * asks with Confirm ({@code pa:N:<id>:<confirmationId>}) and Cancel ({@code cx:<confirmationId>}); a confirmation
 * without a promo code offers "have a code?" ({@code pr:<confirmationId>}). Data that doesn't
 * parse is answered, never failed.
 */
@ApplicationScoped
public class Buttons {

    private final Users users;
    private final Purchases purchases;
    private final Confirmations confirmations;
    private final StarSupply supply;
    private final PaymentMethods methods;

    public Buttons(
            Users users, Purchases purchases, Confirmations confirmations, StarSupply supply, PaymentMethods methods) {
        this.supply = supply;
        this.users = users;
        this.purchases = purchases;
        this.confirmations = confirmations;
        this.methods = methods;
    }

    /**
     * What {@code /buy} typed for oneself and a gift's Confirm pay with: the wallet if it covers the price, else
     * on-chain; in a Stars-only shop, Stars.
     */
    static PayChoice autoChoice(PaymentMethods methods) {
        return methods.usdt() ? PayChoice.WALLET_OR_CHAIN : PayChoice.STARS;
    }

    public Uni<Outcome> answer(CallbackQuery query, Optional<Checked> checked) {
        BotTexts texts = BotTexts.forLanguage(query.from().languageCode());
        long chatId = query.message() != null
                ? query.message().chat().id()
                : query.from().id();
        long buyerId = query.from().id();
        String data = query.data() == null ? "" : query.data();
        return users.register(
                        buyerId,
                        query.from().username(),
                        query.from().firstName(),
                        query.from().languageCode())
                .flatMap(ignored -> {
                    if (checked.isPresent()) {
                        return purchaseStep(query, chatId, buyerId, checked.get(), texts);
                    }
                    String[] parts = data.split(":");
                    if (parts.length == 2 && parts[0].equals("buy")) {
                        return PurchaseIntent.months(parts[1])
                                .map(months -> chooseRecipient(chatId, buyerId, months, texts))
                                .orElseGet(() -> notUnderstood(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("pick")) {
                        return PurchaseIntent.months(parts[1])
                                .map(months -> Uni.createFrom()
                                        .item(Outcome.of(Reply.userPicker(
                                                chatId,
                                                texts.get("buy.pick_prompt"),
                                                texts.get("button.pick_user"),
                                                months.count()))))
                                .orElseGet(() -> notUnderstood(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("cx")) {
                        return PurchaseIntent.positiveLong(parts[1])
                                .map(confirmation -> cancel(query, chatId, buyerId, confirmation, texts))
                                .orElseGet(() -> notUnderstood(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("pr")) {
                        return PurchaseIntent.positiveLong(parts[1])
                                .map(confirmation -> PromoCommand.ask(chatId, texts))
                                .orElseGet(() -> notUnderstood(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("so") && OrderIds.isWellFormed(parts[1])) {
                        return methods.stars()
                                ? switchToStars(chatId, buyerId, parts[1], texts)
                                : Outcome.say(chatId, texts.get("usdt_only.not_offered"));
                    }
                    return notUnderstood(query, texts);
                });
    }

    private Uni<Outcome> purchaseStep(CallbackQuery query, long chatId, long buyerId, Checked checked, BotTexts texts) {
        return purchases.forgetRenamed(checked).flatMap(corrected -> {
            String label = Purchases.recipientLabel(checked, buyerId, texts);
            Optional<Outcome> refusal = purchases.refusal(chatId, checked, label, texts);
            if (refusal.isPresent()) {
                return Uni.createFrom().item(refusal.get());
            }
            return payOrConfirm(query, chatId, buyerId, checked, texts);
        });
    }

    private Uni<Outcome> payOrConfirm(CallbackQuery query, long chatId, long buyerId, Checked checked, BotTexts texts) {
        PurchaseIntent intent = checked.intent();
        PayChoice choice = switch (intent.step()) {
            case PAY_WALLET -> PayChoice.WALLET;
            case PAY_CHAIN -> PayChoice.CHAIN;
            case PAY_STARS -> PayChoice.STARS;
            case PAY_AUTO -> autoChoice(methods);
            case CONFIRM -> null;
        };
        // a button from a message sent before the shop changed what it takes: answered, the confirmation left unused
        if ((choice == PayChoice.WALLET || choice == PayChoice.CHAIN) && !methods.usdt()) {
            return Outcome.say(chatId, texts.get("stars_only.not_offered"));
        }
        if (choice == PayChoice.STARS && !methods.stars()) {
            return Outcome.say(chatId, texts.get("usdt_only.not_offered"));
        }
        if (choice == null || intent.confirmationId() == null) {
            return purchases.confirm(chatId, buyerId, checked, texts);
        }
        boolean gift = intent.step() == PurchaseIntent.Step.PAY_AUTO;
        return confirmations
                .use(intent.confirmationId(), buyerId, intent.months(), checked.recipientId(), gift)
                .flatMap(use -> {
                    if (use instanceof Confirmations.Claimed claimed) {
                        return purchases.pay(chatId, buyerId, checked, choice, claimed, texts);
                    }
                    if (use instanceof Confirmations.Used used) {
                        return alreadyBought(query, chatId, buyerId, used.orderId(), choice, texts);
                    }
                    if (use instanceof Confirmations.Cancelled) {
                        return Outcome.say(chatId, texts.get("callback.confirmation_cancelled"));
                    }
                    if (use instanceof Confirmations.Expired) {
                        // a gift's recipient is settled by a typed /buy, which a button can't repeat; the others
                        // show a fresh confirmation, since the price may have changed
                        return gift
                                ? Outcome.say(chatId, texts.get("callback.confirmation_expired"))
                                : purchases.confirm(chatId, buyerId, checked, texts);
                    }
                    return notUnderstood(query, texts);
                });
    }

    /** Cancel under a confirmation: closes it for good, so none of its buttons can buy any more. */
    private Uni<Outcome> cancel(CallbackQuery query, long chatId, long buyerId, long confirmationId, BotTexts texts) {
        return confirmations.cancel(confirmationId, buyerId).map(refused -> {
            if (refused.isEmpty()) {
                return Outcome.of(Reply.message(chatId, texts.get("buy.cancelled")));
            }
            Confirmations.Use use = refused.get();
            if (use instanceof Confirmations.Used used) {
                return Outcome.of(
                        Reply.callbackAnswer(query.id(), texts.get("callback.confirmation_used", used.orderId())));
            }
            if (use instanceof Confirmations.Cancelled) {
                return Outcome.of(Reply.callbackAnswer(query.id(), texts.get("buy.cancelled")));
            }
            return Outcome.of(Reply.callbackAnswer(query.id(), texts.get("callback.not_understood")));
        });
    }

    /** A second tap on a used confirmation: an unpaid Stars order gets its invoice again, anything else is named. */
    private Uni<Outcome> alreadyBought(
            CallbackQuery query, long chatId, long buyerId, String orderId, PayChoice choice, BotTexts texts) {
        Uni<Order> bought = orderId == null ? Uni.createFrom().nullItem() : Order.<Order>findById(orderId);
        return bought.flatMap(order -> {
            if (order != null
                    && choice == PayChoice.STARS
                    && order.buyerId == buyerId
                    && order.payMethod == PayMethod.STARS
                    && order.status == OrderStatus.PENDING_PAYMENT
                    && order.expiresAt != null
                    && order.expiresAt.isAfter(Instant.now())) {
                String label = order.recipientId == buyerId ? texts.get("buy.yourself") : "@" + order.recipientUsername;
                return invoice(chatId, order, label, texts);
            }
            return Uni.createFrom()
                    .item(Outcome.of(
                            Reply.callbackAnswer(query.id(), texts.get("callback.confirmation_used", orderId))));
        });
    }

    /** An invoice for an order already waiting: sent only while the Stars still cover its gift. */
    private Uni<Outcome> invoice(long chatId, Order order, String label, BotTexts texts) {
        return supply.cover(order.id, order.starCount)
                .map(covered -> Outcome.of(Purchases.invoice(chatId, order, label, texts)));
    }

    private static Uni<Outcome> chooseRecipient(long chatId, long buyerId, Months months, BotTexts texts) {
        List<List<Button>> buttons = List.of(
                List.of(new Button(texts.get("button.for_me"), PurchaseIntent.confirmButton(months, buyerId))),
                List.of(new Button(texts.get("button.for_someone"), "pick:" + months.count())));
        return Uni.createFrom()
                .item(Outcome.of(Reply.message(
                        chatId, texts.get("buy.choose_recipient", String.valueOf(months.count())), buttons)));
    }

    private Uni<Outcome> switchToStars(long chatId, long userId, String orderId, BotTexts texts) {
        return Order.<Order>findById(orderId).flatMap(order -> {
            if (order == null || order.buyerId != userId) {
                return Outcome.say(chatId, texts.get("callback.not_yours"));
            }
            if (order.status != OrderStatus.PENDING_PAYMENT
                    || order.expiresAt == null
                    || !order.expiresAt.isAfter(Instant.now())) {
                return Outcome.say(chatId, texts.get("checkout.no_longer_payable"));
            }
            String label = order.recipientId == userId ? texts.get("buy.yourself") : "@" + order.recipientUsername;
            return invoice(chatId, order, label, texts);
        });
    }

    /** Data that doesn't parse or match (stale, forged, truncated): answered, never failed, so Telegram doesn't retry it. */
    private static Uni<Outcome> notUnderstood(CallbackQuery query, BotTexts texts) {
        return Uni.createFrom()
                .item(Outcome.of(Reply.callbackAnswer(query.id(), texts.get("callback.not_understood"))));
    }
}
