package io.premiumbot.api.bot;

import java.util.LinkedHashMap;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.model.telegram.ProcessedUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One update that may change money or orders, one transaction: the update_id claim, every effect and the reply commit
 * or roll back together. A replay changes nothing and gets the reply the first attempt committed.
 */
@ApplicationScoped
public class UpdateProcessor {

    private static final String CLAIM =
            "insert into processed_updates (update_id, received_at) values (?1, now()) on conflict do nothing";
    private static final String KEEP_REPLY = "update processed_updates set reply = ?2 where update_id = ?1";
    private static final TypeReference<LinkedHashMap<String, Object>> CALL = new TypeReference<>() {};

    private final Conversation conversation;
    private final Buttons buttons;
    private final Checkout checkout;
    private final ObjectMapper json;

    public UpdateProcessor(Conversation conversation, Buttons buttons, Checkout checkout, ObjectMapper json) {
        this.conversation = conversation;
        this.buttons = buttons;
        this.checkout = checkout;
        this.json = json;
    }

    @WithTransaction
    @WithSpan("UpdateProcessor.process")
    public Uni<Outcome> process(Update update, Optional<Checked> checked) {
        return claim(update.updateId())
                .flatMap(fresh -> fresh
                        ? dispatch(update, checked).call(outcome -> keepReply(update.updateId(), outcome.reply()))
                        : firstReply(update.updateId()).map(Outcome::of));
    }

    /** Concurrent duplicates wait on the first one's row and then see it taken. */
    @WithSpan("UpdateProcessor.claim")
    Uni<Boolean> claim(long updateId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM)
                        .setParameter(1, updateId)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private Uni<Integer> keepReply(long updateId, Reply reply) {
        String call;
        try {
            call = reply == null ? null : reply.toJson(json);
        } catch (IllegalStateException e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(KEEP_REPLY)
                        .setParameter(1, updateId)
                        .setParameter(2, call)
                        .executeUpdate());
    }

    /** The claim committed before this replay's insert returned, so its reply is there to read. */
    private Uni<Reply> firstReply(long updateId) {
        return Panache.getSession()
                .flatMap(session -> session.find(ProcessedUpdate.class, updateId))
                .map(claimed -> {
                    if (claimed == null || claimed.reply == null) {
                        // pruned since (older than Telegram retries), or the first attempt answered with nothing
                        return null;
                    }
                    try {
                        return new Reply(json.readValue(claimed.reply, CALL));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(
                                "the kept reply of update " + updateId + " is not a Bot API call", e);
                    }
                });
    }

    private Uni<Outcome> dispatch(Update update, Optional<Checked> checked) {
        if (update.message() != null
                && update.message().from() != null
                && update.message().chat().isPrivate()) {
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
