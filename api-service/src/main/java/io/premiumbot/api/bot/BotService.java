package io.premiumbot.api.bot;

import org.jboss.logging.Logger;

import io.premiumbot.api.bot.Conversation.Outcome;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.queue.DeliveryQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Handles one webhook update: everything it changes commits in one transaction together with its update_id
 * (so a replay has no second effect), and a paid order is enqueued for delivery only after that commit.
 */
@ApplicationScoped
public class BotService {

    private static final Logger LOG = Logger.getLogger(BotService.class);

    private final UpdateProcessor processor;
    private final DeliveryQueue queue;

    public BotService(UpdateProcessor processor, DeliveryQueue queue) {
        this.processor = processor;
        this.queue = queue;
    }

    /** The reply to carry in the webhook response, or null for none. */
    public Uni<Reply> handle(Update update) {
        return processor.process(update)
                .call(outcome -> outcome.paidOrderId() == null ? Uni.createFrom().voidItem() : queue.enqueuePaid(outcome.paidOrderId()))
                .map(Outcome::reply)
                .onFailure(NoFreePayAmountException.class).recoverWithItem(failure -> {
                    // nothing was committed; the customer is asked to try again
                    LOG.warnf("event=pay_amounts_exhausted updateId=%d", update.updateId());
                    long chatId = update.message().chat().id();
                    String language = update.message().from().languageCode();
                    return Reply.message(chatId, BotTexts.forLanguage(language).get("buy.busy"));
                });
    }
}
