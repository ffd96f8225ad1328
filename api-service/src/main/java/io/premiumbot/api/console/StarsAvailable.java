package io.premiumbot.api.console;

import org.jboss.logging.Logger;

import io.premiumbot.api.payments.BotStars;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The Stars the home page shows as available: today the bot's balance read live from Telegram through the Stars page's
 * own read ({@link BotStars#balance()}). Its own small piece (and template fragment {@code console/starsavailable}), so
 * it can be pointed at another source without touching the page. Telegram not answering leaves the figure out, not the
 * page.
 */
@ApplicationScoped
public class StarsAvailable {

    private static final Logger LOG = Logger.getLogger(StarsAvailable.class);

    private final BotStars stars;

    public StarsAvailable(BotStars stars) {
        this.stars = stars;
    }

    /** The Stars available, or null when Telegram could not be asked just now. */
    public Uni<Long> read() {
        return stars.balance()
                .onFailure(BotStars.TelegramUnavailableException.class)
                .recoverWithItem(failure -> {
                    LOG.infof("event=console_stars_unreadable reason=%s", failure.getMessage());
                    return null;
                });
    }
}
