package io.premiumbot.api.treasury;

import java.time.Instant;
import java.time.ZoneOffset;

import org.jboss.logging.Logger;

import io.premiumbot.api.payments.BotStars;
import io.premiumbot.model.treasury.StarTreasury;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A paid top-up raised the bot's Stars: read the balance again and store it in the treasury row at once, so the Stars
 * can be sold without waiting for the worker's next scheduled read. Telegram reports the payment after it credited the
 * Stars, so any read from now on includes them. Never on a purchase's path and never failing the paying update: the
 * read runs on its own after the event, and a failed one leaves the worker's schedule to catch up.
 */
@ApplicationScoped
public class ReadBalanceAfterTopUp {

    private static final Logger LOG = Logger.getLogger(ReadBalanceAfterTopUp.class);

    private final BotStars stars;
    private final Pool db;

    public ReadBalanceAfterTopUp(BotStars stars, Pool db) {
        this.stars = stars;
        this.db = db;
    }

    void onTopUp(@Observes StarsToppedUp toppedUp) {
        read().subscribe()
                .with(
                        balance -> LOG.infof(
                                "event=star_balance_read_after_top_up topUpId=%d stars=%d balance=%d",
                                toppedUp.topUpId(), toppedUp.stars(), balance),
                        failure -> LOG.warnf(
                                "event=star_balance_read_after_top_up_failed topUpId=%d cause=%s",
                                toppedUp.topUpId(), failure.getClass().getSimpleName()));
    }

    Uni<Long> read() {
        Instant asked = Instant.now();
        return stars.balance()
                .call(balance -> db.preparedQuery(StarTreasury.RECORD_READ)
                        .execute(Tuple.of(balance, asked.atOffset(ZoneOffset.UTC))));
    }
}
