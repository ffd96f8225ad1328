package io.premiumbot.api.bot;

import java.util.ArrayList;
import java.util.List;

import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;

/**
 * How a confirmation reads: what, for whom, the price it holds (a promo code's discount named beside the list price)
 * and its buttons. Every price on it is the one its buttons charge. Without a code it offers "have a code?".
 */
final class ConfirmationMessages {

    private ConfirmationMessages() {}

    /** The confirmation with the ways to pay (wallet, on-chain, Stars). */
    static Reply choice(
            long chatId, long confirmation, long recipient, String label, Quote quote, Money balance, BotTexts texts) {
        Months months = quote.months();
        String count = String.valueOf(months.count());
        String text = quote.discounted()
                ? texts.get(
                        "buy.confirm_promo",
                        count,
                        label,
                        quote.price(),
                        quote.promoCode(),
                        quote.listPrice(),
                        String.valueOf(quote.stars()),
                        String.valueOf(months.stars()),
                        balance)
                : texts.get("buy.confirm", count, label, quote.price(), String.valueOf(quote.stars()), balance);
        List<List<Button>> buttons = new ArrayList<>(List.of(
                List.of(new Button(
                        texts.get("button.pay_wallet", quote.price()),
                        PurchaseIntent.payButton(Step.PAY_WALLET, months, recipient, confirmation))),
                List.of(new Button(
                        texts.get("button.pay_chain"),
                        PurchaseIntent.payButton(Step.PAY_CHAIN, months, recipient, confirmation))),
                List.of(new Button(
                        texts.get("button.pay_stars", String.valueOf(quote.stars())),
                        PurchaseIntent.payButton(Step.PAY_STARS, months, recipient, confirmation)))));
        haveACode(buttons, confirmation, quote, texts);
        return Reply.message(chatId, text, buttons);
    }

    /** A gift to a typed {@code @username}: who Telegram shows under it, what, the price; Confirm and Cancel. */
    static Reply gift(
            long chatId,
            long confirmation,
            long recipient,
            String name,
            String handle,
            Quote quote,
            Money balance,
            BotTexts texts) {
        String price = quote.discounted()
                ? texts.get("promo.price", quote.price(), quote.promoCode(), quote.listPrice())
                : quote.price().toString();
        String text =
                texts.get("buy.confirm_gift", String.valueOf(quote.months().count()), name, handle, price, balance);
        List<List<Button>> buttons = new ArrayList<>(List.of(List.of(
                new Button(
                        texts.get("button.confirm"),
                        PurchaseIntent.payButton(Step.PAY_AUTO, quote.months(), recipient, confirmation)),
                new Button(texts.get("button.cancel"), "cx:" + confirmation))));
        haveACode(buttons, confirmation, quote, texts);
        return Reply.message(chatId, text, buttons);
    }

    private static void haveACode(List<List<Button>> buttons, long confirmation, Quote quote, BotTexts texts) {
        if (!quote.discounted()) {
            buttons.add(List.of(new Button(texts.get("button.have_code"), "pr:" + confirmation)));
        }
    }
}
