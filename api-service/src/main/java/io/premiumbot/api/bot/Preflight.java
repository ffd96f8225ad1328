package io.premiumbot.api.bot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.premiumbot.api.bot.PurchaseIntent.Step;
import io.premiumbot.api.orders.RecipientCheck;
import io.premiumbot.api.orders.RecipientCheck.Seen;
import io.premiumbot.api.orders.RecipientCheck.Verdict;
import io.premiumbot.api.orders.RecipientHandles;
import io.premiumbot.api.orders.RecipientHandles.Holder;
import io.premiumbot.api.orders.RecipientHandles.NotHeld;
import io.premiumbot.api.orders.RecipientHandles.Rename;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Settles who a purchase is for before the update's transaction opens, so no database connection waits on
 * Telegram: a typed {@code @username} goes only to the account Telegram reports under it now
 * ({@link RecipientHandles}), {@code getChat} says whether the recipient accepts Premium gifts, and a gift
 * confirmation tapped late has its recipient asked again (the username may have moved since it was shown).
 */
@ApplicationScoped
public class Preflight {

    /** Why a gift to a typed {@code @username} can't go ahead; none when it can (or no username was typed). */
    public enum HandleProblem {
        NONE,
        /** Nobody the bot has seen holds the username now. */
        NOT_HELD,
        /** The confirmed recipient no longer holds the username the confirmation showed. */
        MOVED,
        /** Telegram couldn't be asked who holds it: no gift on a guess. */
        UNVERIFIED
    }

    /**
     * The checked recipient of an intent. {@code recipientId} is null when nobody the bot knows holds the username;
     * {@code recipientName} is Telegram's name for them when it was asked; {@code renamed} are users found under a
     * username they no longer hold, to be corrected in the update's transaction.
     */
    public record Checked(
            PurchaseIntent intent,
            Long recipientId,
            String recipientUsername,
            Verdict verdict,
            String recipientName,
            HandleProblem handleProblem,
            List<Rename> renamed) {

        static Checked of(PurchaseIntent intent, long recipientId, String username, Seen seen) {
            return new Checked(
                    intent, recipientId, username, seen.verdict(), seen.name(), HandleProblem.NONE, List.of());
        }

        static Checked refused(PurchaseIntent intent, Long recipientId, HandleProblem problem, List<Rename> renamed) {
            return new Checked(intent, recipientId, intent.recipientUsername(), null, null, problem, renamed);
        }

        public boolean knownToTheBot() {
            return recipientId != null;
        }
    }

    private final RecipientCheck recipients;
    private final RecipientHandles handles;
    private final Confirmations confirmations;

    public Preflight(RecipientCheck recipients, RecipientHandles handles, Confirmations confirmations) {
        this.recipients = recipients;
        this.handles = handles;
        this.confirmations = confirmations;
    }

    public Uni<Optional<Checked>> check(Optional<PurchaseIntent> intent) {
        if (intent.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        PurchaseIntent wanted = intent.get();
        Uni<Checked> checked;
        if (wanted.recipientId() == null) {
            checked = byUsername(wanted);
        } else if (wanted.step() == Step.PAY_AUTO && wanted.confirmationId() != null) {
            checked = confirmedGift(wanted);
        } else {
            checked = recipients
                    .check(wanted.recipientId())
                    .map(seen -> Checked.of(wanted, wanted.recipientId(), wanted.recipientUsername(), seen));
        }
        return checked.map(Optional::of);
    }

    private Uni<Checked> byUsername(PurchaseIntent wanted) {
        return handles.resolve(wanted.recipientUsername()).map(resolution -> {
            if (resolution instanceof Holder holder) {
                Seen seen = holder.seen();
                return new Checked(
                        wanted,
                        holder.userId(),
                        seen.username(),
                        seen.verdict(),
                        seen.name(),
                        HandleProblem.NONE,
                        holder.renamed());
            }
            HandleProblem problem = resolution instanceof NotHeld ? HandleProblem.NOT_HELD : HandleProblem.UNVERIFIED;
            return Checked.refused(wanted, null, problem, resolution.renamed());
        });
    }

    /**
     * A gift confirmation's Confirm: shown moments ago, Telegram's answer then still stands; tapped later, Telegram is
     * asked again whether the confirmed account still holds the username it showed. Anything that isn't a gift
     * confirmation is left to the transaction, which refuses it.
     */
    private Uni<Checked> confirmedGift(PurchaseIntent wanted) {
        long recipientId = wanted.recipientId();
        return confirmations.shown(wanted.confirmationId()).flatMap(shown -> {
            if (shown == null || !shown.byUsername() || shown.recipientId() != recipientId) {
                return Uni.createFrom()
                        .item(new Checked(
                                wanted, recipientId, null, Verdict.UNVERIFIED, null, HandleProblem.NONE, List.of()));
            }
            String username = shown.recipientUsername();
            PurchaseIntent named =
                    new PurchaseIntent(wanted.months(), recipientId, username, wanted.step(), wanted.confirmationId());
            Duration age = Duration.between(shown.createdAt(), Instant.now());
            if (age.compareTo(confirmations.recheckAfter()) <= 0) {
                // asked when the confirmation was shown, which exists only for an account accepting the gift
                return Uni.createFrom()
                        .item(new Checked(
                                named,
                                recipientId,
                                username,
                                Verdict.ACCEPTS_PREMIUM_GIFTS,
                                null,
                                HandleProblem.NONE,
                                List.of()));
            }
            return recipients.checkNow(recipientId).map(seen -> {
                if (seen.verdict() == Verdict.UNVERIFIED) {
                    return Checked.refused(named, recipientId, HandleProblem.UNVERIFIED, List.of());
                }
                if (!seen.holds(username)) {
                    return Checked.refused(
                            named,
                            recipientId,
                            HandleProblem.MOVED,
                            List.of(new Rename(recipientId, username, seen.username())));
                }
                return Checked.of(named, recipientId, username, seen);
            });
        });
    }
}
