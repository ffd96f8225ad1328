package io.premiumbot.api.wallet;

import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.notify.CustomerNotificationOutbox;
import io.premiumbot.model.user.User;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells a customer about money the operator put in their wallet (an assigned payment, a positive adjustment): a row
 * in the worker's notification outbox ({@code customer_notifications}), written in the credit's own transaction, so
 * the notice exists exactly when the credit does and the worker sends it once, from the budget gifts leave.
 */
@ApplicationScoped
public class CreditNotices {

    private final CustomerNotificationOutbox outbox;
    private final PaymentMethods methods;

    public CreditNotices(CustomerNotificationOutbox outbox, PaymentMethods methods) {
        this.outbox = outbox;
        this.methods = methods;
    }

    /** What the credit was; its name is the text's key in {@code bot/texts} and the outbox row's kind. */
    public enum Kind {
        CREDIT_ASSIGNED,
        CREDIT_ADJUSTED;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** A Stars-only shop doesn't say the wallet pays {@code /buy}: it doesn't. */
        String textKey(boolean starsOnly) {
            return starsOnly ? key() + ".stars" : key();
        }
    }

    /** Must run inside the credit's transaction; {@code ledgerKey} makes a replayed credit tell once. */
    public Uni<Void> credited(long telegramId, Kind kind, String ledgerKey, Money amount, Money balanceAfter) {
        return User.<User>findById(telegramId)
                .map(user -> Texts.of("bot.texts", user == null ? null : user.languageCode)
                        .get(kind.textKey(methods.starsOnly()), amount, balanceAfter))
                .flatMap(text -> outbox.addInSession(kind.key() + ":" + ledgerKey, telegramId, kind.key(), text))
                .replaceWithVoid();
    }
}
