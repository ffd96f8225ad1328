package io.premiumbot.api.bot;

import io.premiumbot.api.bot.Conversation.Outcome;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** One update, one transaction: the update_id claim and every effect commit or roll back together. */
@ApplicationScoped
public class UpdateProcessor {

    private static final Outcome NOTHING = new Outcome(null, null);
    private static final String CLAIM = "insert into processed_updates (update_id, received_at) values (?1, now()) on conflict do nothing";

    private final Conversation conversation;

    public UpdateProcessor(Conversation conversation) {
        this.conversation = conversation;
    }

    @WithTransaction
    public Uni<Outcome> process(Update update) {
        return claim(update.updateId()).flatMap(fresh -> fresh ? dispatch(update) : Uni.createFrom().item(NOTHING));
    }

    /** Concurrent duplicates wait on the first one's row and then see it taken. */
    private Uni<Boolean> claim(long updateId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM).setParameter(1, updateId).executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private Uni<Outcome> dispatch(Update update) {
        if (update.message() != null && update.message().from() != null && update.message().chat().isPrivate()) {
            return conversation.answer(update.message());
        }
        if (update.callbackQuery() != null && update.callbackQuery().from() != null) {
            BotTexts texts = BotTexts.forLanguage(update.callbackQuery().from().languageCode());
            return Uni.createFrom().item(new Outcome(
                    Reply.callbackAnswer(update.callbackQuery().id(), texts.get("callback.unsupported")), null));
        }
        return Uni.createFrom().item(NOTHING);
    }
}
