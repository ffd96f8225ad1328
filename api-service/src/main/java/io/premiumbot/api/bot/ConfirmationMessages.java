package io.premiumbot.api.bot;

import java.util.ArrayList;
import java.util.List;

import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;

/**
 * How a confirmation reads: what, for whom, the price it holds (a promo code's discount named beside the list price)
 * and its buttons, as far as the shop offers each way to pay (a Stars-only shop shows Stars and nothing of USDT).
 * Every price on it is the one its buttons charge. Without a code it offers "have a code?".
 */
final class ConfirmationMessages {

    private ConfirmationMessages() {}

    /** The confirmation with the ways to pay the shop offers (wallet, on-chain, Stars). */
    static Reply choice(
            long chatId,
            long confirmation,
            long recipient,
            String label,
            Quote quote,
            Money balance,
            PaymentMethods methods,
            BotTexts texts) {
        Months months = quote.months();
        String count = String.valueOf(months.count());
        String variant = methods.starsOnly() ? ".stars" : methods.stars() ? "" : ".usdt";
        String text = quote.discounted()
                ? texts.get(
                        "buy.confirm_promo" + variant,
                        count,
                        label,
                        methods.starsOnly() ? String.valueOf(quote.stars()) : quote.price(),
                        quote.promoCode(),
                        methods.starsOnly() ? String.valueOf(quote.starListPrice()) : quote.listPrice(),
                        String.valueOf(quote.stars()),
                        String.valueOf(quote.starListPrice()),
                        balance)
                : texts.get(
                        "buy.confirm" + variant,
                        count,
                        label,
                        methods.starsOnly() ? String.valueOf(quote.stars()) : quote.price(),
                        String.valueOf(quote.stars()),
                        balance);
        List<List<Button>> buttons = new ArrayList<>();
        if (methods.usdt()) {
            buttons.add(List.of(new Button(
                    texts.get("button.pay_wallet", quote.price()),
                    PurchaseIntent.payButton(Step.PAY_WALLET, months, recipient, confirmation))));
            buttons.add(List.of(new Button(
                    texts.get("button.pay_chain"),
                    PurchaseIntent.payButton(Step.PAY_CHAIN, months, recipient, confirmation))));
        }
        if (methods.stars()) {
            buttons.add(List.of(new Button(
                    texts.get("button.pay_stars", String.valueOf(quote.stars())),
                    PurchaseIntent.payButton(Step.PAY_STARS, months, recipient, confirmation))));
        }
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
            PaymentMethods methods,
            BotTexts texts) {
        String price;
        if (methods.starsOnly()) {
            price = quote.discounted()
                    ? texts.get(
                            "promo.price.stars",
                            String.valueOf(quote.stars()),
                            quote.promoCode(),
                            String.valueOf(quote.starListPrice()))
                    : texts.get("stars.amount", String.valueOf(quote.stars()));
        } else {
            price = quote.discounted()
                    ? texts.get("promo.price", quote.price(), quote.promoCode(), quote.listPrice())
                    : quote.price().toString();
        }
        String variant = methods.starsOnly() ? ".stars" : methods.stars() ? "" : ".usdt";
        String text = texts.get(
                "buy.confirm_gift" + variant, String.valueOf(quote.months().count()), name, handle, price, balance);
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
