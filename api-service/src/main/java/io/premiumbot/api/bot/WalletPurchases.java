package io.premiumbot.api.bot;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.orders.WalletPurchase;
import io.premiumbot.api.support.PaymentMethods;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The purchases a wallet pays at once, answered by {@link WalletPurchase}'s few statements instead of the update's
 * Hibernate transaction: {@code /buy N} typed for oneself, and a confirmation's pay-from-wallet button or a gift's
 * Confirm. Only after the recipient check found nothing to refuse or correct; the answer is the one {@link Purchases}
 * gives. Empty for every other update, and for any purchase {@link WalletPurchase} leaves to the general path.
 */
@ApplicationScoped
public class WalletPurchases {

    private final WalletPurchase wallet;
    private final ObjectMapper json;
    private final PaymentMethods methods;
    private final Purchases purchases;

    public WalletPurchases(WalletPurchase wallet, ObjectMapper json, PaymentMethods methods, Purchases purchases) {
        this.wallet = wallet;
        this.json = json;
        this.methods = methods;
        this.purchases = purchases;
    }

    Uni<Optional<Outcome>> pay(Update update, Optional<Checked> checked) {
        From sender = update.sender();
        // a shop that doesn't take USDT sells through Stars invoices only: the general path sends them
        if (!methods.usdt()
                || checked.isEmpty()
                || sender == null
                || !checked.get().renamed().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Checked recipient = checked.get();
        PurchaseIntent intent = recipient.intent();
        BotTexts texts = BotTexts.forLanguage(sender.languageCode());
        Long chatId = chatOf(update, intent, sender);
        if (chatId == null
                || recipient.recipientId() == null
                || Purchases.refusal(chatId, recipient, "", texts).isPresent()) {
            return Uni.createFrom().item(Optional.empty());
        }
        WalletPurchase.Request request = new WalletPurchase.Request(
                update.updateId(),
                sender.id(),
                sender.username(),
                sender.firstName(),
                sender.languageCode(),
                intent.months(),
                recipient.recipientId(),
                intent.confirmationId(),
                intent.step() == Step.PAY_AUTO);
        return wallet.pay(
                request,
                paid -> {
                    String label = paid.order().recipientUsername == null
                            ? Purchases.recipientLabel(recipient, sender.id(), texts)
                            : "@" + paid.order().recipientUsername;
                    return purchases.reply(chatId, paid, label, texts);
                },
                outcome -> outcome.reply().toJson(json));
    }

    /**
     * The chat to answer when the update is one of the purchases this path pays: a private {@code /buy N} for oneself,
     * or a pay-from-wallet / gift Confirm button of a confirmation; null otherwise.
     */
    private static Long chatOf(Update update, PurchaseIntent intent, From sender) {
        var message = update.message();
        if (message != null) {
            boolean typedForOneself = message.chat() != null
                    && message.chat().isPrivate()
                    && message.successfulPayment() == null
                    && message.usersShared() == null
                    && intent.step() == Step.PAY_AUTO
                    && intent.confirmationId() == null
                    && intent.recipientId() != null
                    && intent.recipientId() == sender.id();
            return typedForOneself ? message.chat().id() : null;
        }
        var query = update.callbackQuery();
        boolean payButton = query != null
                && intent.confirmationId() != null
                && (intent.step() == Step.PAY_WALLET || intent.step() == Step.PAY_AUTO);
        if (!payButton) {
            return null;
        }
        return query.message() != null && query.message().chat() != null
                ? query.message().chat().id()
                : sender.id();
    }
}
