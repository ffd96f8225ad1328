package io.premiumbot.worker.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.premiumbot.worker.notify.NotificationOutbox.Outcome;
import io.premiumbot.worker.notify.NotificationOutbox.Pending;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends what the outbox holds, from the Telegram budget that gifts leave (spare priority in the limiter): when
 * gifts use the budget, notifications wait in the outbox and go out afterwards, none dropped. Several pending
 * notifications of one buyer go out as one message. A round starts when a notification is written in this process
 * and on a schedule (for everything else). A row is finished as soon as Telegram answered, so only a
 * crash between Telegram's answer and that one update can send a message twice.
 */
@ApplicationScoped
public class NotificationSender {

    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    /** Telegram's limit is 4,096 characters per message; coalesced texts stay below it. */
    static final int MAX_MESSAGE_CHARS = 4000;

    private static final String SEPARATOR = "\n\n";

    private final NotificationOutbox outbox;
    private final BotApi botApi;
    private final NotificationMetrics metrics;
    private final NotifyConfig config;
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean wakeUps = new AtomicBoolean();
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final TelegramRateLimiter limiter;

    public NotificationSender(
            NotificationOutbox outbox,
            BotApi botApi,
            TelegramRateLimiter limiter,
            NotificationMetrics metrics,
            NotifyConfig config) {
        this.outbox = outbox;
        this.limiter = limiter;
        this.botApi = botApi;
        this.metrics = metrics;
        this.config = config;
    }

    /** The safety net: other replicas' rows, postponed ones, rows a dead sender's lease gave back. */
    @Scheduled(
            identity = "send-notifications",
            every = "${worker.notifications.every}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void onSchedule() {
        wake();
    }

    /**
     * Starts a round unless one is running; a wake during a round makes another follow it, so a notification
     * written now goes out without waiting for the schedule. Rounds follow each other while they find a full batch;
     * while gifts hold the budget the next round waits for it, and what accumulates meanwhile goes out together.
     */
    public void wake() {
        wakeUps.set(true);
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        wakeUps.set(false);
        sendDue()
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        failure,
                        "event=notifications_round_failed type=%s",
                        failure.getClass().getSimpleName()))
                .onFailure()
                .recoverWithItem(new Round(0, 0, Duration.ZERO))
                .subscribe()
                .with(round -> {
                    roundRunning.set(false);
                    if (!round.budgetBusyFor().isZero()) {
                        wakeAfter(round.budgetBusyFor());
                    } else if (round.buyers() >= config.buyersPerRound() || wakeUps.get()) {
                        wake();
                    }
                });
    }

    private void wakeAfter(Duration busy) {
        if (wakeScheduled.compareAndSet(false, true)) {
            Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(busy.plusMillis(1))
                    .subscribe()
                    .with(ignored -> {
                        wakeScheduled.set(false);
                        wake();
                    });
        }
    }

    /** What one round did: buyers leased, messages sent, or how long gifts still hold the budget (nothing leased). */
    public record Round(int buyers, int sent, Duration budgetBusyFor) {}

    /** One round: once the budget has a free slot, leases what is due and sends it buyer by buyer (a few at once). */
    public Uni<Round> sendDue() {
        return limiter.untilFree()
                .flatMap(busy ->
                        busy.isZero() ? leaseAndSend() : Uni.createFrom().item(new Round(0, 0, busy)));
    }

    private Uni<Round> leaseAndSend() {
        return outbox.lease(config.buyersPerRound(), config.lease()).flatMap(leased -> {
            List<Message> messages = messages(leased);
            int buyers = (int)
                    messages.stream().mapToLong(Message::chatId).distinct().count();
            return Multi.createFrom()
                    .iterable(messages)
                    .onItem()
                    .transformToUni(this::send)
                    .merge(config.concurrency())
                    .collect()
                    .with(Collectors.summingInt(Integer::intValue))
                    .map(sent -> new Round(buyers, sent, Duration.ZERO));
        });
    }

    /** One message: the texts of one buyer's notifications, oldest first. */
    record Message(long chatId, List<Long> ids, String text, int attempts) {}

    static List<Message> messages(List<Pending> leased) {
        Map<Long, List<Pending>> byBuyer = new LinkedHashMap<>();
        leased.forEach(pending -> byBuyer.computeIfAbsent(pending.chatId(), ignored -> new ArrayList<>())
                .add(pending));
        List<Message> messages = new ArrayList<>();
        byBuyer.forEach((chatId, pendings) -> {
            List<Long> ids = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int attempts = 0;
            for (Pending pending : pendings) {
                if (!ids.isEmpty()
                        && text.length() + SEPARATOR.length() + pending.text().length() > MAX_MESSAGE_CHARS) {
                    messages.add(new Message(chatId, ids, text.toString(), attempts));
                    ids = new ArrayList<>();
                    text = new StringBuilder();
                    attempts = 0;
                }
                text.append(ids.isEmpty() ? "" : SEPARATOR).append(pending.text());
                ids.add(pending.id());
                attempts = Math.max(attempts, pending.attempts());
            }
            messages.add(new Message(chatId, ids, text.toString(), attempts));
        });
        return messages;
    }

    private Uni<Integer> send(Message message) {
        return botApi.sendMessage(message.chatId(), message.text())
                .onItem()
                .transformToUni(sent -> finish(message, Outcome.SENT)
                        .invoke(() -> metrics.sent(message.ids().size()))
                        .replaceWith(1))
                .onFailure(TelegramException.class)
                .recoverWithUni(failure ->
                        settleFailure(message, (TelegramException) failure).replaceWith(0));
    }

    private Uni<Void> settleFailure(Message message, TelegramException failure) {
        int count = message.ids().size();
        if (failure instanceof TelegramException.RateLimited limited) {
            // gifts hold the budget (or Telegram asked us to wait): nothing was sent, the message waits
            metrics.postponed(count);
            return postpone(message, limited.retryAfter(), false);
        }
        if (failure instanceof TelegramException.Rejected rejected && rejected.errorCode() == 403) {
            metrics.blocked(count);
            LOG.infof("event=notification_skipped chat=%d reason=bot_blocked_by_user", message.chatId());
            return outbox.markBlocked(message.chatId())
                    .onFailure()
                    .invoke(mark -> LOG.warnf(
                            "event=blocked_customer_not_marked chat=%d error=%s", message.chatId(), mark.getMessage()))
                    .onFailure()
                    .recoverWithNull()
                    .chain(() -> finish(message, Outcome.BLOCKED));
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            metrics.failed(count);
            LOG.warnf(
                    "event=notification_rejected chat=%d code=%d description=%s",
                    message.chatId(), rejected.errorCode(), rejected.description());
            return finish(message, Outcome.REJECTED);
        }
        if (failure instanceof TelegramException.Unavailable) {
            if (message.attempts() + 1 >= config.maxAttempts()) {
                metrics.failed(count);
                LOG.warnf(
                        "event=notification_given_up chat=%d attempts=%d error=%s",
                        message.chatId(), message.attempts() + 1, failure.getMessage());
                return finish(message, Outcome.GAVE_UP);
            }
            metrics.postponed(count);
            return postpone(message, config.retryAfter(), true);
        }
        // the message may have gone out: sending it again would tell the buyer twice
        metrics.failed(count);
        LOG.warnf("event=notification_outcome_unknown chat=%d error=%s", message.chatId(), failure.getMessage());
        return finish(message, Outcome.UNKNOWN);
    }

    private Uni<Void> finish(Message message, Outcome outcome) {
        return outbox.finish(message.ids(), outcome)
                // the message is out: recording it must survive a blip, or the lease would send it again
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .atMost(5)
                .onFailure()
                .invoke(failure -> LOG.errorf(
                        "event=notification_not_recorded chat=%d outcome=%s error=%s",
                        message.chatId(), outcome, failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> postpone(Message message, Duration after, boolean countsAsAttempt) {
        return outbox.postpone(message.ids(), after, countsAsAttempt)
                // not postponed: the lease lapses and the rows come back anyway
                .onFailure()
                .invoke(failure -> LOG.warnf(
                        "event=notification_not_postponed chat=%d error=%s", message.chatId(), failure.getMessage()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}
