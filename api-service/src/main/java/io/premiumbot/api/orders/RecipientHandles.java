package io.premiumbot.api.orders;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.api.orders.RecipientCheck.Seen;
import io.premiumbot.api.orders.RecipientCheck.Verdict;
import io.premiumbot.api.wallet.Users;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the account that holds a typed {@code @username} now, outside any transaction. Telegram's getChat takes a user
 * only by id ("@name" finds channels and supergroups, never a private user), so the candidates are the users the bot
 * has seen under that name, most recently seen first, and each is asked who it is now. A username belongs to one
 * account at a time, so the first that reports it is the holder; the others have been renamed (or are gone), and
 * their stale name is returned to be corrected.
 */
@ApplicationScoped
public class RecipientHandles {

    private static final Logger LOG = Logger.getLogger(RecipientHandles.class);

    /** Enough for a name that moved twice; each candidate costs one getChat. */
    static final int MAX_CANDIDATES = 3;

    /** A user the bot knew under {@code staleUsername} whom Telegram reports under {@code currentUsername} (or none). */
    public record Rename(long userId, String staleUsername, String currentUsername) {}

    /** Who holds a username now, as far as the bot can know. */
    public sealed interface Resolution {
        List<Rename> renamed();
    }

    /** Telegram reports {@code userId} under the username now. */
    public record Holder(long userId, Seen seen, List<Rename> renamed) implements Resolution {}

    /** No user the bot has seen holds it now: unknown, renamed away, or taken by someone who never talked to the bot. */
    public record NotHeld(List<Rename> renamed) implements Resolution {}

    /** Telegram couldn't be asked about a candidate that may hold it: nobody can be gifted on a guess. */
    public record Unverified(List<Rename> renamed) implements Resolution {}

    private final Users users;
    private final RecipientCheck check;

    public RecipientHandles(Users users, RecipientCheck check) {
        this.users = users;
        this.check = check;
    }

    public Uni<Resolution> resolve(String username) {
        return users.seenAs(username, MAX_CANDIDATES)
                .flatMap(candidates -> next(username, candidates, 0, new ArrayList<>(), false));
    }

    private Uni<Resolution> next(
            String username, List<Long> candidates, int index, List<Rename> renamed, boolean unverified) {
        if (index == candidates.size()) {
            return Uni.createFrom()
                    .item(unverified ? new Unverified(List.copyOf(renamed)) : new NotHeld(List.copyOf(renamed)));
        }
        long candidate = candidates.get(index);
        return check.checkNow(candidate).flatMap(seen -> {
            if (seen.verdict() == Verdict.UNVERIFIED) {
                // they may hold it; a later candidate Telegram reports under it still holds it for sure
                return next(username, candidates, index + 1, renamed, true);
            }
            if (seen.holds(username)) {
                return Uni.createFrom().item(new Holder(candidate, seen, List.copyOf(renamed)));
            }
            LOG.infof("event=recipient_username_moved userId=%d", candidate);
            renamed.add(new Rename(candidate, username, seen.username()));
            return next(username, candidates, index + 1, renamed, unverified);
        });
    }
}
