package io.premiumbot.api.bot;

import io.premiumbot.api.bot.TelegramTypes.PreCheckoutQuery;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.support.ApiConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers Telegram's pre_checkout_query (it must come within 10 s): yes only for an order still payable and, under
 * the chargeback guard, within the buyer's daily Stars limit.
 */
@ApplicationScoped
public class Checkout {

    private final StarsPayments stars;
    private final int dailyLimit;

    public Checkout(StarsPayments stars, ApiConfig.Shop shop) {
        this.stars = stars;
        this.dailyLimit = shop.starsGuard().dailyLimit();
    }

    public Uni<Outcome> answer(PreCheckoutQuery query) {
        BotTexts texts = BotTexts.forLanguage(query.from().languageCode());
        return stars.checkout(query.from().id(), query.currency(), query.totalAmount(), query.invoicePayload())
                .map(refusal -> Outcome.of(refusal.map(reason -> Reply.answerPreCheckout(
                                query.id(),
                                false,
                                texts.get(
                                        "checkout." + reason.name().toLowerCase(java.util.Locale.ROOT),
                                        String.valueOf(dailyLimit))))
                        .orElseGet(() -> Reply.answerPreCheckout(query.id(), true, null))));
    }
}
