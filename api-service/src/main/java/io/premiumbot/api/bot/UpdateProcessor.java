package io.premiumbot.api.bot;

import java.util.Optional;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** One update, one transaction: the update_id claim and every effect commit or roll back together. */
@ApplicationScoped
public class UpdateProcessor {

    private static final String CLAIM = "insert into processed_updates (update_id, received_at) values (?1, now()) on conflict do nothing";

    private final Conversation conversation;
    private final Buttons buttons;
    private final Checkout checkout;

    public UpdateProcessor(Conversation conversation, Buttons buttons, Checkout checkout) {
        this.conversation = conversation;
        this.buttons = buttons;
        this.checkout = checkout;
    }

    @WithTransaction
    @WithSpan("UpdateProcessor.process")
    public Uni<Outcome> process(Update update, Optional<Checked> checked) {
        return claim(update.updateId()).flatMap(fresh -> fresh ? dispatch(update, checked) : Uni.createFrom().item(Outcome.NOTHING));
    }

    /** Concurrent duplicates wait on the first one's row and then see it taken. */
    @WithSpan("UpdateProcessor.claim")
    Uni<Boolean> claim(long updateId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM).setParameter(1, updateId).executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private Uni<Outcome> dispatch(Update update, Optional<Checked> checked) {
        if (update.message() != null && update.message().from() != null && update.message().chat().isPrivate()) {
            return conversation.answer(update.message(), checked);
        }
        if (update.callbackQuery() != null && update.callbackQuery().from() != null) {
            return buttons.answer(update.callbackQuery(), checked);
        }
        if (update.preCheckoutQuery() != null && update.preCheckoutQuery().from() != null) {
            return checkout.answer(update.preCheckoutQuery());
        }
        return Uni.createFrom().item(Outcome.NOTHING);
    }
}
