package io.premiumbot.worker.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.premiumbot.worker.broadcast.BroadcastMetrics.Outcome;
import io.premiumbot.worker.broadcast.BroadcastOutbox.Claimed;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.CallWithheld;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends running broadcasts from what is left of the Telegram budget, last of all: a round starts only when the budget
 * has a slot free now and no customer notification is waiting, and each message takes a slot only if it is free at
 * that instant ({@link TelegramRateLimiter.Priority#BULK}), so gifts (which reserve ahead) and notifications always go
 * first, and a flood wait stops broadcasts with everything else.
 *
 * <p>At most once per customer: a message is stamped SENDING in PostgreSQL right before its request goes out and
 * settled from the answer. A message whose outcome is unknown (no answer, a 5xx, or its sender died between stamp and
 * settle) is marked UNKNOWN and never sent again: an announcement twice is worse than once missed. Only a request
 * known never to have been written goes back to PENDING.
 */
@ApplicationScoped
public class BroadcastSender {

    private static final Logger LOG = Logger.getLogger(BroadcastSender.class);
    /** The longest one wait for a free slot lasts before the sender looks again (flood waits can be long). */
    private static final Duration MAX_NAP = Duration.ofSeconds(1);

    private final BroadcastOutbox outbox;
    private final BotApi botApi;
    private final TelegramRateLimiter limiter;
    private final BroadcastMetrics metrics;
    private final BroadcastConfig config;
    private final String sender;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public BroadcastSender(
            BroadcastOutbox outbox,
            BotApi botApi,
            TelegramRateLimiter limiter,
            BroadcastMetrics metrics,
            BroadcastConfig config,
            WorkerIdentity identity) {
        this.outbox = outbox;
        this.botApi = botApi;
        this.limiter = limiter;
        this.metrics = metrics;
        this.config = config;
        this.sender = identity.id();
    }

    /** One tick: settles what dead senders left, finishes completed broadcasts, then sends while there is spare budget. */
    @Scheduled(
            identity = "send-broadcasts",
            every = "${worker.broadcasts.every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return tick().onFailure().recoverWithUni(failure -> {
            LOG.warnf(
                    "event=broadcast_tick_failed type=%s error=%s",
                    failure.getClass().getSimpleName(), failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Stops starting rounds (messages in flight settle); also the tests' way of stopping a worker mid-broadcast. */
    public void stop() {
        stopped.set(true);
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    public void start() {
        stopped.set(false);
    }

    public Uni<Void> tick() {
        return outbox.settleAbandoned(config.abandonedAfter())
                .invoke(abandoned -> {
                    if (abandoned > 0) {
                        metrics.count(Outcome.UNKNOWN, abandoned);
                        LOG.warnf("event=broadcast_messages_abandoned count=%d outcome=UNKNOWN", abandoned);
                    }
                })
                .chain(outbox::finishDone)
                .chain(this::rounds)
                .chain(outbox::finishDone)
                .replaceWithVoid();
    }

    /** Rounds one after another while each found messages and the budget had room. */
    private Uni<Void> rounds() {
        if (stopped.get()) {
            return Uni.createFrom().voidItem();
        }
        return round().flatMap(more -> more ? rounds() : Uni.createFrom().voidItem());
    }

    /** One round; true when another should follow at once. */
    Uni<Boolean> round() {
        return limiter.untilFree().flatMap(busy -> {
            if (!busy.isZero()) {
                // gifts (or a flood wait) hold the budget: nap, then look again, within this tick
                return nap(busy).replaceWith(true);
            }
            return outbox.notificationsWaiting()
                    .flatMap(waiting -> waiting
                            ? Uni.createFrom().item(false)
                            : outbox.claim(config.batch(), sender, config.lease())
                                    .flatMap(this::sendAll));
        });
    }

    private Uni<Boolean> sendAll(List<Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        AtomicBoolean yield = new AtomicBoolean();
        return Multi.createFrom()
                .iterable(claimed)
                .onItem()
                .transformToUni(message -> yield.get() ? Uni.createFrom().item(message.id()) : send(message, yield))
                .merge(config.concurrency())
                .collect()
                .asList()
                .call(unsent -> unsent.isEmpty() ? Uni.createFrom().voidItem() : release(unsent))
                // the next round naps first when the budget is busy
                .replaceWith(true);
    }

    /** Sends one message; completes with its id when it was not sent and stays this sender's to give back, else null. */
    private Uni<Long> send(Claimed message, AtomicBoolean yield) {
        // a slot someone else took is waited for again, within half the claim's lease
        return send(message, yield, System.nanoTime() + config.lease().toNanos() / 2);
    }

    private Uni<Long> send(Claimed message, AtomicBoolean yield, long deadline) {
        AtomicBoolean stamped = new AtomicBoolean();
        Uni<Void> stamp = outbox.stamp(message.id(), sender).flatMap(ours -> {
            if (!ours) {
                return Uni.createFrom().failure(new CallWithheld("broadcast message no longer this sender's"));
            }
            stamped.set(true);
            return Uni.createFrom().voidItem();
        });
        return botApi.sendBroadcast(message.chatId(), message.text(), stamp)
                .onItem()
                .transformToUni(sent -> settle(message, BroadcastOutbox.Outcome.SENT, Outcome.SENT))
                .onFailure()
                .recoverWithUni(failure -> failure instanceof TelegramException.RateLimited
                                && !stamped.get()
                                && !yield.get()
                                && !stopped.get()
                                && System.nanoTime() < deadline
                        // no slot free at that instant (gifts, notifications or another sender took it): nothing went
                        // out; look again once the budget is free
                        ? limiter.untilFree().flatMap(BroadcastSender::nap).chain(() -> send(message, yield, deadline))
                        : failed(message, failure, stamped.get(), yield));
    }

    private Uni<Long> failed(Claimed message, Throwable failure, boolean stamped, AtomicBoolean yield) {
        if (failure instanceof CallWithheld) {
            // cancelled, or taken by another sender after a lapsed lease: nothing was sent
            return Uni.createFrom().nullItem();
        }
        if (failure instanceof TelegramException.RateLimited) {
            // Telegram's 429 (a flood wait now holds every send), or no free slot for too long: nothing went out; the
            // rest of the round waits too
            yield.set(true);
            metrics.count(Outcome.DEFERRED, 1);
            return stamped ? unstamp(message) : Uni.createFrom().item(message.id());
        }
        if (failure instanceof TelegramException.Rejected rejected && rejected.errorCode() == 403) {
            return outbox.markBlocked(message.chatId())
                    .chain(() -> settle(message, BroadcastOutbox.Outcome.BLOCKED, Outcome.BLOCKED));
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            LOG.infof(
                    "event=broadcast_message_rejected broadcast=%d chat=%d code=%d",
                    message.broadcastId(), message.chatId(), rejected.errorCode());
            return settle(message, BroadcastOutbox.Outcome.FAILED, Outcome.FAILED);
        }
        if (failure instanceof TelegramException.Unavailable unavailable && !unavailable.mayHaveBeenCarriedOut()) {
            // never written (connection, open circuit) or refused before any work (401/404): it may go later
            yield.set(true);
            metrics.count(Outcome.DEFERRED, 1);
            return stamped ? unstamp(message) : Uni.createFrom().item(message.id());
        }
        if (!stamped) {
            // failed before the stamp (e.g. the database): nothing was sent, the claim lapses or is given back
            yield.set(true);
            LOG.warnf(
                    "event=broadcast_message_not_sent broadcast=%d error=%s",
                    message.broadcastId(), failure.toString());
            return Uni.createFrom().item(message.id());
        }
        // no answer, or a 5xx: the customer may have it already; never sent twice
        LOG.warnf(
                "event=broadcast_message_outcome_unknown broadcast=%d chat=%d error=%s",
                message.broadcastId(), message.chatId(), failure.getMessage());
        return settle(message, BroadcastOutbox.Outcome.UNKNOWN, Outcome.UNKNOWN);
    }

    private Uni<Long> settle(Claimed message, BroadcastOutbox.Outcome outcome, Outcome counted) {
        return outbox.settle(message.id(), outcome)
                // Telegram answered: recording it must survive a blip, or the row would end UNKNOWN
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .atMost(5)
                .invoke(settled -> metrics.count(counted, 1))
                .onFailure()
                .invoke(failure -> LOG.errorf(
                        "event=broadcast_message_not_recorded broadcast=%d chat=%d outcome=%s error=%s",
                        message.broadcastId(), message.chatId(), outcome, failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWith((Long) null);
    }

    private Uni<Long> unstamp(Claimed message) {
        return outbox.unstamp(message.id())
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "event=broadcast_message_not_unstamped broadcast=%d error=%s",
                        message.broadcastId(), failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWith((Long) null);
    }

    private Uni<Void> release(List<Long> ids) {
        return outbox.release(ids, sender)
                // not given back: the lease lapses and the rows come back anyway
                .onFailure()
                .invoke(failure -> LOG.warnf("event=broadcast_messages_not_released error=%s", failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private static Uni<Void> nap(Duration busy) {
        // spread, so this replica's messages (and other replicas') don't ask for the same free slot together
        long jitter = ThreadLocalRandom.current().nextLong(1, 35);
        Duration wait = busy.compareTo(MAX_NAP) > 0 ? MAX_NAP : busy.plusMillis(jitter);
        return Uni.createFrom().voidItem().onItem().delayIt().by(wait);
    }
}
