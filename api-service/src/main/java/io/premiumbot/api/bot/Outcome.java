package io.premiumbot.api.bot;

import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.smallrye.mutiny.Uni;

/** What an update led to: the reply to carry back, and the order to enqueue for delivery once committed. */
public record Outcome(Reply reply, String paidOrderId) {

    static final Outcome NOTHING = new Outcome(null, null);

    static Outcome of(Reply reply) {
        return new Outcome(reply, null);
    }

    static Uni<Outcome> say(long chatId, String text) {
        return Uni.createFrom().item(of(Reply.message(chatId, text)));
    }
}
