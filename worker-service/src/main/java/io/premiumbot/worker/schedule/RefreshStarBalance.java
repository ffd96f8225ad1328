package io.premiumbot.worker.schedule;

import org.jboss.logging.Logger;

import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.StarsBalance;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the bot's Stars balance into the gauge, and lifts a delivery pause once the Stars cover the gift. */
@ApplicationScoped
public class RefreshStarBalance {

    private static final Logger LOG = Logger.getLogger(RefreshStarBalance.class);

    private final BotApi botApi;
    private final StarsBalance stars;

    public RefreshStarBalance(BotApi botApi, StarsBalance stars) {
        this.botApi = botApi;
        this.stars = stars;
    }

    @Scheduled(
            identity = "refresh-star-balance",
            every = "${worker.schedule.star-balance-every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refresh().replaceWithVoid();
    }

    public Uni<Long> refresh() {
        boolean wasPaused = stars.isPaused();
        return botApi.getMyStarBalance().invoke(balance -> {
            stars.refreshed(balance);
            if (wasPaused && !stars.isPaused()) {
                LOG.infof("event=deliveries_resumed stars=%d", balance);
            }
        });
    }
}
