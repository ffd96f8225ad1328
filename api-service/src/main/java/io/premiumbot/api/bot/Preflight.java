package io.premiumbot.api.bot;

import java.util.Optional;

import io.premiumbot.api.orders.RecipientCheck;
import io.premiumbot.api.orders.RecipientCheck.Verdict;
import io.premiumbot.api.wallet.Users;
import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles who a purchase is for before the update's transaction opens, so no database connection waits on
 * Telegram: a {@code @username} is looked up among users the bot has seen, then {@code getChat} says whether
 * the recipient accepts Premium gifts.
 */
@ApplicationScoped
public class Preflight {

    /** The checked recipient of an intent. {@code recipientId} is null when the username is unknown to the bot. */
    public record Checked(PurchaseIntent intent, Long recipientId, String recipientUsername, Verdict verdict) {

        public boolean knownToTheBot() {
            return recipientId != null;
        }

        public boolean mayReceive() {
            return knownToTheBot() && (verdict == Verdict.ACCEPTS_PREMIUM_GIFTS || verdict == Verdict.UNVERIFIED);
        }
    }

    private final Users users;
    private final RecipientCheck recipients;

    public Preflight(Users users, RecipientCheck recipients) {
        this.users = users;
        this.recipients = recipients;
    }

    public Uni<Optional<Checked>> check(Optional<PurchaseIntent> intent) {
        if (intent.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        PurchaseIntent wanted = intent.get();
        Uni<Checked> resolved = wanted.recipientId() != null
                ? Uni.createFrom().item(new Checked(wanted, wanted.recipientId(), wanted.recipientUsername(), null))
                : Panache.withSession(() -> users.byUsername(wanted.recipientUsername()))
                        .map(user -> byName(wanted, user));
        return resolved.flatMap(checked -> !checked.knownToTheBot()
                        ? Uni.createFrom().item(checked)
                        : recipients
                                .check(checked.recipientId())
                                .map(verdict -> new Checked(
                                        wanted, checked.recipientId(), checked.recipientUsername(), verdict)))
                .map(Optional::of);
    }

    private static Checked byName(PurchaseIntent wanted, User user) {
        return user == null
                ? new Checked(wanted, null, wanted.recipientUsername(), null)
                : new Checked(wanted, user.telegramId, user.username, null);
    }
}
