package io.premiumbot.worker.treasury;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.premiumbot.model.treasury.StarTreasury;
import io.premiumbot.worker.delivery.StarsSpent;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.StarsBalance;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Reads the bot's Stars balance ({@code getMyStarBalance}) on a schedule and soon after every gift and Stars refund:
 * into PostgreSQL's treasury row, where api-service checks every purchase against it (never asking Telegram), into
 * the gauge, and to lift a delivery pause once the Stars cover the gift. The read records when it was asked: a gift or
 * refund recorded after that counts as spent until a newer read shows it ({@code star_treasury_reserved}), so the
 * balance may lag without anything being oversold.
 */
@ApplicationScoped
public class RefreshStarBalance {

    private static final Logger LOG = Logger.getLogger(RefreshStarBalance.class);
    /** Reads after spending are coalesced: one at a time, at most one a second, from the budget gifts leave. */
    private static final Duration AFTER_SPEND_GAP = Duration.ofSeconds(1);

    private final BotApi botApi;
    private final StarsBalance stars;
    private final Pool db;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    public RefreshStarBalance(BotApi botApi, StarsBalance stars, Pool db) {
        this.botApi = botApi;
        this.stars = stars;
        this.db = db;
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
        // before the budget's wait: the read can only be later than this, so nothing spent meanwhile is missed
        Instant asked = Instant.now();
        return botApi.getMyStarBalance()
                .call(balance -> db.preparedQuery(StarTreasury.RECORD_READ)
                        .execute(Tuple.of(balance, asked.atOffset(ZoneOffset.UTC))))
                .invoke(balance -> {
                    stars.refreshed(balance);
                    if (wasPaused && !stars.isPaused()) {
                        LOG.infof("event=deliveries_resumed stars=%d", balance);
                    }
                });
    }

    /** A new worker reads the balance at once: api-service sells nothing on a balance never read. */
    void atStart(@Observes Startup start) {
        afterSpending();
    }

    /** A gift was made (the delivery's event): its Stars left the balance. */
    void afterGift(@Observes StarsSpent gift) {
        afterSpending();
    }

    /** Stars left the balance (a gift, a Stars refund): read it again soon. Never waits and never fails the caller. */
    public void afterSpending() {
        wanted.set(true);
        if (reading.compareAndSet(false, true)) {
            readWhileWanted();
        }
    }

    private void readWhileWanted() {
        if (!wanted.getAndSet(false)) {
            reading.set(false);
            // a request that came between the look and the release starts its own read
            if (wanted.get() && reading.compareAndSet(false, true)) {
                readWhileWanted();
            }
            return;
        }
        refresh()
                .onFailure()
                .invoke(failure -> LOG.debugf(
                        "event=star_balance_read_skipped cause=%s",
                        failure.getClass().getSimpleName()))
                .onItemOrFailure()
                .transformToUni((balance, failure) -> Uni.createFrom().voidItem())
                .onItem()
                .delayIt()
                .by(AFTER_SPEND_GAP)
                .subscribe()
                .with(done -> readWhileWanted(), failure -> readWhileWanted());
    }
}
