package io.premiumbot.api.bot;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import io.premiumbot.api.bot.Confirmations.Open;
import io.premiumbot.api.promo.PromoCode;
import io.premiumbot.api.promo.PromoCodes;
import io.premiumbot.api.promo.PromoCodes.Application;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.api.support.PaymentMethods;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code /promo CODE} and the "have a code?" button, in the update's transaction. An accepted code is remembered for the
 * customer's next purchase; when they have a confirmation open, it is replaced at once by one at the discounted price
 * (the old one cancelled, so no button charges a price that isn't shown any more). The use itself is booked only by the
 * purchase.
 */
@ApplicationScoped
public class PromoCommand {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PromoCodes promos;
    private final Confirmations confirmations;
    private final PaymentMethods methods;

    public PromoCommand(PromoCodes promos, Confirmations confirmations, PaymentMethods methods) {
        this.promos = promos;
        this.confirmations = confirmations;
        this.methods = methods;
    }

    /** The "have a code?" button: tells how to send one. */
    static Uni<Outcome> ask(long chatId, BotTexts texts) {
        return Outcome.say(chatId, texts.get("promo.ask"));
    }

    Uni<Outcome> answer(long chatId, long buyerId, BotCommand command, BotTexts texts) {
        if (command.arguments().size() != 1) {
            return Outcome.say(chatId, texts.get("promo.usage"));
        }
        String typed = command.argument(0);
        return promos.apply(buyerId, typed).flatMap(application -> switch (application.verdict()) {
            case APPLIED -> applied(chatId, buyerId, application.code(), texts);
            case UNKNOWN -> Outcome.say(chatId, texts.get("promo.unknown", shown(typed)));
            default -> Outcome.say(chatId, refusal(application, texts));
        });
    }

    private Uni<Outcome> applied(long chatId, long buyerId, PromoCode code, BotTexts texts) {
        return confirmations.latestOpen(buyerId).flatMap(open -> {
            Optional<Quote> quote =
                    open == null ? Optional.empty() : code.apply(open.months(), open.price(), open.starListPrice());
            if (quote.isEmpty()) {
                return menu(chatId, code, texts);
            }
            return confirmations
                    .discount(open.id(), buyerId, quote.get())
                    .flatMap(copy -> copy == null
                            ? menu(chatId, code, texts)
                            : Purchases.balance(buyerId)
                                    .map(balance -> Outcome.of(
                                            open.byUsername()
                                                    ? ConfirmationMessages.gift(
                                                            chatId,
                                                            copy,
                                                            open.recipientId(),
                                                            "@" + open.recipientUsername(),
                                                            "@" + open.recipientUsername(),
                                                            quote.get(),
                                                            balance,
                                                            methods,
                                                            texts)
                                                    : ConfirmationMessages.choice(
                                                            chatId,
                                                            copy,
                                                            open.recipientId(),
                                                            label(open, buyerId, texts),
                                                            quote.get(),
                                                            balance,
                                                            methods,
                                                            texts))));
        });
    }

    /** A Stars-only shop doesn't name a fixed discount (it is set in USDT): the confirmation shows it in Stars. */
    private Uni<Outcome> menu(long chatId, PromoCode code, BotTexts texts) {
        String text = methods.starsOnly()
                ? texts.get("promo.applied.stars", code.code(), code.monthsLabel())
                : texts.get("promo.applied", code.code(), code.discountLabel(), code.monthsLabel());
        return Conversation.menu(chatId, text, texts);
    }

    private static String label(Open open, long buyerId, BotTexts texts) {
        if (open.recipientId() == buyerId) {
            return texts.get("buy.yourself");
        }
        return open.recipientUsername() != null
                ? "@" + open.recipientUsername()
                : texts.get("buy.recipient_id", String.valueOf(open.recipientId()));
    }

    private static String refusal(Application application, BotTexts texts) {
        PromoCode code = application.code();
        return switch (application.verdict()) {
            case NOT_YET -> texts.get("promo.not_yet", code.code(), WHEN.format(code.validFrom()));
            case ENDED -> texts.get("promo.ended", code.code());
            case USED_UP -> texts.get("promo.used_up", code.code());
            case ALREADY_USED -> texts.get("promo.already_used", code.code());
            case APPLIED, UNKNOWN -> throw new IllegalArgumentException("not a refusal: " + application.verdict());
        };
    }

    /** What the customer typed, echoed back only as far as a code could be. */
    private static String shown(String typed) {
        String stripped = typed == null ? "" : typed.strip();
        return stripped.length() <= 32 ? stripped : stripped.substring(0, 32);
    }
}
