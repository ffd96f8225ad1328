package io.premiumbot.api.bot;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.CallbackQuery;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.orders.OrderService.PayChoice;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The button flow, the same purchase as {@code /buy}: months ({@code buy:3}) → recipient: me ({@code to:3:<id>})
 * or picked with Telegram's user picker ({@code pick:3}) → confirmation → pay from the wallet, on-chain or in Stars
 * ({@code pw|pc|ps:3:<id>}); an unpaid order can switch to Stars ({@code so:<orderId>}), only for its buyer.
 */
@ApplicationScoped
public class Buttons {

    private final Users users;
    private final Purchases purchases;

    public Buttons(Users users, Purchases purchases) {
        this.users = users;
        this.purchases = purchases;
    }

    public Uni<Outcome> answer(CallbackQuery query, Optional<Checked> checked) {
        BotTexts texts = BotTexts.forLanguage(query.from().languageCode());
        long chatId = query.message() != null ? query.message().chat().id() : query.from().id();
        long buyerId = query.from().id();
        String data = query.data() == null ? "" : query.data();
        return users.register(buyerId, query.from().username(), query.from().firstName(), query.from().languageCode())
                .flatMap(ignored -> {
                    if (checked.isPresent()) {
                        return purchaseStep(chatId, buyerId, checked.get(), texts);
                    }
                    String[] parts = data.split(":");
                    if (parts.length == 2 && parts[0].equals("buy")) {
                        return PurchaseIntent.months(parts[1]).map(months -> chooseRecipient(chatId, buyerId, months, texts))
                                .orElseGet(() -> unsupported(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("pick")) {
                        return PurchaseIntent.months(parts[1]).map(months -> Uni.createFrom().item(Outcome.of(
                                Reply.userPicker(chatId, texts.get("buy.pick_prompt"), texts.get("button.pick_user"), months.count()))))
                                .orElseGet(() -> unsupported(query, texts));
                    }
                    if (parts.length == 2 && parts[0].equals("so")) {
                        return switchToStars(chatId, buyerId, parts[1], texts);
                    }
                    return unsupported(query, texts);
                });
    }

    private Uni<Outcome> purchaseStep(long chatId, long buyerId, Checked checked, BotTexts texts) {
        String label = Purchases.recipientLabel(checked, buyerId, texts);
        Optional<Outcome> refusal = purchases.refusal(chatId, checked, label, texts);
        if (refusal.isPresent()) {
            return Uni.createFrom().item(refusal.get());
        }
        return switch (checked.intent().step()) {
            case CONFIRM -> purchases.confirm(chatId, buyerId, checked, texts);
            case PAY_WALLET -> purchases.pay(chatId, buyerId, checked, PayChoice.WALLET, texts);
            case PAY_CHAIN -> purchases.pay(chatId, buyerId, checked, PayChoice.CHAIN, texts);
            case PAY_STARS -> purchases.pay(chatId, buyerId, checked, PayChoice.STARS, texts);
            case PAY_AUTO -> purchases.pay(chatId, buyerId, checked, PayChoice.WALLET_OR_CHAIN, texts);
        };
    }

    private static Uni<Outcome> chooseRecipient(long chatId, long buyerId, Months months, BotTexts texts) {
        List<List<Button>> buttons = List.of(
                List.of(new Button(texts.get("button.for_me"), PurchaseIntent.button(PurchaseIntent.Step.CONFIRM, months, buyerId))),
                List.of(new Button(texts.get("button.for_someone"), "pick:" + months.count())));
        return Uni.createFrom().item(Outcome.of(Reply.message(chatId,
                texts.get("buy.choose_recipient", String.valueOf(months.count())), buttons)));
    }

    private static Uni<Outcome> switchToStars(long chatId, long userId, String orderId, BotTexts texts) {
        return Order.<Order>findById(orderId).flatMap(order -> {
            if (order == null || order.buyerId != userId) {
                return Outcome.say(chatId, texts.get("callback.not_yours"));
            }
            if (order.status != OrderStatus.PENDING_PAYMENT || order.expiresAt == null || !order.expiresAt.isAfter(Instant.now())) {
                return Outcome.say(chatId, texts.get("checkout.no_longer_payable"));
            }
            String label = order.recipientId == userId ? texts.get("buy.yourself") : "@" + order.recipientUsername;
            return Uni.createFrom().item(Outcome.of(Purchases.invoice(chatId, order, label, texts)));
        });
    }

    private static Uni<Outcome> unsupported(CallbackQuery query, BotTexts texts) {
        return Uni.createFrom().item(Outcome.of(Reply.callbackAnswer(query.id(), texts.get("callback.unsupported"))));
    }
}
