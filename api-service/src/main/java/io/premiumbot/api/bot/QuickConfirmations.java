package io.premiumbot.api.bot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.bot.Preflight.Checked;
import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.api.support.SqlTransaction;
import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The first step of the button flow — "Buy N months for …" pressed, answered with a confirmation showing the price it
 * will charge, once — as the statements it needs on the SQL client (migration V26), in one transaction of two round
 * trips: {@code BEGIN} + {@code confirmation_open} (claim the update, register and lock the buyer, record the
 * confirmation at the list prices), then {@code confirmation_keep_reply} + {@code COMMIT} (the reply naming it, kept
 * for a replay; the function raises when the claim is missing, so the COMMIT then rolls back). The reply is the one
 * {@link Purchases#confirm} gives. A replay, a remembered promo code (whose discount the general path quotes), a month
 * without a price, a recipient the check refuses or corrects: nothing is written and the general path answers.
 */
@ApplicationScoped
public class QuickConfirmations {

    static final String OPEN = "select * from confirmation_open($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    static final String KEEP_REPLY = "select confirmation_keep_reply($1, $2)";

    private final Pool pool;
    private final ObjectMapper json;
    private final PaymentMethods methods;
    private final Confirmations confirmations;

    public QuickConfirmations(Pool pool, ObjectMapper json, PaymentMethods methods, Confirmations confirmations) {
        this.pool = pool;
        this.json = json;
        this.methods = methods;
        this.confirmations = confirmations;
    }

    /** The confirmation's reply, or empty when this update is not one this path answers (nothing written then). */
    @WithSpan("QuickConfirmations.show")
    Uni<Optional<Outcome>> show(Update update, Optional<Checked> checked) {
        From sender = update.sender();
        var query = update.callbackQuery();
        if (query == null
                || sender == null
                || checked.isEmpty()
                || !checked.get().renamed().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Checked recipient = checked.get();
        PurchaseIntent intent = recipient.intent();
        if (intent.step() != Step.CONFIRM || intent.confirmationId() != null || recipient.recipientId() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        long chatId = query.message() != null && query.message().chat() != null
                ? query.message().chat().id()
                : sender.id();
        BotTexts texts = BotTexts.forLanguage(sender.languageCode());
        String label = Purchases.recipientLabel(recipient, sender.id(), texts);
        if (Purchases.refusal(chatId, recipient, label, texts).isPresent()) {
            return Uni.createFrom().item(Optional.empty());
        }
        long recipientId = recipient.recipientId();
        String recipientUsername = recipientId == sender.id() ? null : recipient.recipientUsername();
        Tuple opening = Tuple.from(new Object[] {
            update.updateId(),
            sender.id(),
            sender.username(),
            SqlTransaction.truncate(sender.firstName(), 256),
            SqlTransaction.truncate(sender.languageCode(), 16),
            intent.months().count(),
            recipientId,
            recipientUsername,
            Instant.now().plus(confirmations.ttl()).atOffset(ZoneOffset.UTC)
        });
        return SqlTransaction.on(
                pool,
                connection -> inTransaction(
                        connection,
                        opening,
                        open -> Outcome.of(ConfirmationMessages.choice(
                                chatId,
                                open.getLong(2),
                                recipientId,
                                label,
                                Quote.list(intent.months(), Money.ofMicros(open.getLong(3)), open.getInteger(4)),
                                Money.ofMicros(open.getLong(1)),
                                methods,
                                texts)),
                        update.updateId()));
    }

    private Uni<Optional<Outcome>> inTransaction(
            SqlConnection connection, Tuple opening, Function<Row, Outcome> answer, long updateId) {
        Uni<RowSet<Row>> begin = connection.query("begin").execute();
        Uni<RowSet<Row>> opened = connection.preparedQuery(OPEN).execute(opening);
        return Uni.combine()
                .all()
                .unis(begin, opened)
                .with((begun, open) -> open.iterator().next())
                .flatMap(open -> {
                    if (!open.getBoolean(0) || open.getLong(2) == null) {
                        return SqlTransaction.rollback(connection).replaceWith(Optional.<Outcome>empty());
                    }
                    Outcome outcome = answer.apply(open);
                    Uni<RowSet<Row>> kept = connection
                            .preparedQuery(KEEP_REPLY)
                            .execute(Tuple.of(updateId, outcome.reply().toJson(json)));
                    // sent in the same flush: PostgreSQL commits only if the reply was kept, else rolls back
                    Uni<RowSet<Row>> ended = connection.query("commit").execute();
                    return Uni.combine().all().unis(kept, ended).with((k, e) -> Optional.of(outcome));
                });
    }
}
