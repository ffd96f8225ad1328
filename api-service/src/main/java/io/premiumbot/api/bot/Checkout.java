package io.premiumbot.api.bot;

import io.premiumbot.api.bot.TelegramTypes.PreCheckoutQuery;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.treasury.StarTopUps;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers Telegram's pre_checkout_query (it must come within 10 s): yes only for an order still payable (within the
 * chargeback guard's daily Stars limit, and covered by the bot's Stars), or for an operator's own top-up invoice still
 * open.
 */
@ApplicationScoped
public class Checkout {

    private final StarsPayments stars;
    private final StarTopUps topUps;
    private final int dailyLimit;

    public Checkout(StarsPayments stars, StarTopUps topUps, ApiConfig.Shop shop) {
        this.stars = stars;
        this.topUps = topUps;
        this.dailyLimit = shop.starsGuard().dailyLimit();
    }

    public Uni<Outcome> answer(PreCheckoutQuery query) {
        BotTexts texts = BotTexts.forLanguage(query.from().languageCode());
        long payer = query.from().id();
        String payload = query.invoicePayload();
        return (StarTopUps.isTopUp(payload)
                        ? topUps.checkout(payer, query.currency(), query.totalAmount(), payload)
                        : stars.checkout(payer, query.currency(), query.totalAmount(), payload))
                .map(refusal -> Outcome.of(refusal.map(reason -> Reply.answerPreCheckout(
                                query.id(),
                                false,
                                texts.get(
                                        "checkout." + reason.name().toLowerCase(java.util.Locale.ROOT),
                                        String.valueOf(dailyLimit))))
                        .orElseGet(() -> Reply.answerPreCheckout(query.id(), true, null))));
    }
}
