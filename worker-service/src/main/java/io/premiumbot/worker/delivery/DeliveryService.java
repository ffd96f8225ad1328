package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.DeliveryAttempt;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.worker.notify.CustomerNotifications;
import io.premiumbot.worker.notify.CustomerNotifications.Event;
import io.premiumbot.worker.queue.Backoff;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.StarsBalance;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One delivery, idempotent (SPEC §3, §5). The claim PAID → DELIVERING and the attempt row commit together
 * before Telegram is called, so a replayed or duplicated job finds the order no longer PAID and does
 * nothing; the outcome (and, for a refusal, the refund) commits as one transaction after the call.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final OrderTransitions transitions;
    private final Ledger ledger;
    private final BotApi botApi;
    private final StarsBalance stars;
    private final Backoff backoff;
    private final WorkerIdentity identity;
    private final CustomerNotifications notifications;

    public DeliveryService(OrderTransitions transitions, Ledger ledger, BotApi botApi, StarsBalance stars,
            Backoff backoff, WorkerIdentity identity, CustomerNotifications notifications) {
        this.transitions = transitions;
        this.ledger = ledger;
        this.botApi = botApi;
        this.stars = stars;
        this.backoff = backoff;
        this.identity = identity;
        this.notifications = notifications;
    }

    @WithSpan("DeliveryService.deliver")
    public Uni<DeliveryOutcome> deliver(DeliveryJob job) {
        if (stars.isPaused()) {
            return Uni.createFrom().item(new DeliveryOutcome.RetryLater(stars.recheckEvery(), false, DeliveryOutcome.RetryClass.STARS_PAUSED, "stars balance too low"));
        }
        return Panache.withTransaction(() -> claim(job))
                .flatMap(claim -> claim.attemptId() == null
                        ? Uni.createFrom().item((DeliveryOutcome) new DeliveryOutcome.Skipped(claim.status()))
                        : gift(claim, job));
    }

    private Uni<Claim> claim(DeliveryJob job) {
        String orderId = job.orderId();
        return transitions.move(orderId, OrderStatus.PAID, OrderStatus.DELIVERING)
                .flatMap(claimed -> Order.<Order>findById(orderId).flatMap(order -> {
                    if (order == null) {
                        return Uni.createFrom().item(Claim.notClaimed("MISSING"));
                    }
                    if (!claimed) {
                        return Uni.createFrom().item(Claim.notClaimed(order.status.name()));
                    }
                    return nextAttemptNumber(orderId).flatMap(number -> {
                        DeliveryAttempt attempt = new DeliveryAttempt();
                        attempt.orderId = orderId;
                        attempt.attempt = number;
                        attempt.workerId = identity.id();
                        attempt.startedAt = Instant.now();
                        return attempt.<DeliveryAttempt>persistAndFlush().map(saved -> Claim.of(order, saved.id));
                    });
                }));
    }

    private static Uni<Integer> nextAttemptNumber(String orderId) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select coalesce(max(a.attempt), 0) from DeliveryAttempt a where a.orderId = :id", Integer.class)
                .setParameter("id", orderId)
                .getSingleResult())
                .map(max -> max + 1);
    }

    private Uni<DeliveryOutcome> gift(Claim claim, DeliveryJob job) {
        return botApi.giftPremiumSubscription(claim.recipientId(), claim.months(), claim.starCount())
                .map(done -> (TelegramException) null)
                .onFailure(TelegramException.class).recoverWithItem(TelegramException.class::cast)
                // the outcome must not be lost to a database blip: the gift can't be taken back
                .flatMap(failure -> Uni.createFrom().deferred(() -> Panache.withTransaction(() -> record(claim, job, failure)))
                        .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(3))
                // only once the outcome is committed does the buyer hear of it
                .call(outcome -> notify(claim, outcome));
    }

    private Uni<Void> notify(Claim claim, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            return notifications.enqueue(Event.delivered(claim.orderId(), claim.buyerId(), claim.recipientId(), claim.months(),
                    claim.priceMicros()));
        }
        if (outcome instanceof DeliveryOutcome.Refunded refunded) {
            return notifications.enqueue(Event.refunded(claim.orderId(), claim.buyerId(), claim.recipientId(), claim.months(),
                    claim.priceMicros(), refunded.reason()));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<DeliveryOutcome> record(Claim claim, DeliveryJob job, TelegramException failure) {
        String orderId = claim.orderId();
        if (failure == null) {
            LOG.infof("event=order_delivered order=%s attempt=%d", orderId, job.attempt());
            return finish(claim, "DELIVERED", null, null)
                    .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.DELIVERED, null))
                    .replaceWith(new DeliveryOutcome.Delivered());
        }
        if (failure instanceof TelegramException.RateLimited limited) {
            return finish(claim, "RATE_LIMITED", 429, failure.getMessage())
                    .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.PAID, null))
                    .replaceWith(new DeliveryOutcome.RetryLater(limited.retryAfter(), false, DeliveryOutcome.RetryClass.RATE_LIMITED, "telegram 429"));
        }
        if (failure instanceof TelegramException.Unavailable unavailable) {
            return finish(claim, "UNAVAILABLE", unavailable.errorCode(), failure.getMessage())
                    .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.PAID, null))
                    .replaceWith(new DeliveryOutcome.RetryLater(backoff.afterAttempt(job.attempt()), true, DeliveryOutcome.RetryClass.UNAVAILABLE, failure.getMessage()));
        }
        if (failure instanceof TelegramException.Rejected rejected && rejected.isBalanceTooLow()) {
            LOG.warnf("event=deliveries_paused reason=stars_balance_too_low order=%s stars_needed=%d", orderId, claim.starCount());
            stars.pause(claim.starCount());
            return finish(claim, "BALANCE_TOO_LOW", rejected.errorCode(), rejected.description())
                    .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.PAID, null))
                    .replaceWith(new DeliveryOutcome.RetryLater(stars.recheckEvery(), false, DeliveryOutcome.RetryClass.STARS_PAUSED, "stars balance too low"));
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            LOG.warnf("event=order_refused order=%s code=%d description=%s", orderId, rejected.errorCode(), rejected.description());
            return finish(claim, "REJECTED", rejected.errorCode(), rejected.description())
                    .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.FAILED, rejected.description()))
                    .chain(() -> ledger.credit(claim.buyerId(), Money.ofMicros(claim.priceMicros()), LedgerReason.REFUND,
                            orderId, "refund:" + orderId))
                    .chain(() -> move(orderId, OrderStatus.FAILED, OrderStatus.REFUNDED, null))
                    .replaceWith(new DeliveryOutcome.Refunded(rejected.description()));
        }
        LOG.errorf("event=delivery_unknown order=%s attempt=%d error=%s", orderId, job.attempt(), failure.getMessage());
        return finish(claim, "UNKNOWN", null, failure.getMessage())
                .chain(() -> move(orderId, OrderStatus.DELIVERING, OrderStatus.DELIVERY_UNKNOWN,
                        "no answer from Telegram; the gift may have been made"))
                .replaceWith(new DeliveryOutcome.Unknown());
    }

    private Uni<Void> move(String orderId, OrderStatus from, OrderStatus to, String reason) {
        return transitions.move(orderId, from, to, reason).invoke(moved -> {
            if (!moved) {
                throw new IllegalStateException("order " + orderId + " was not " + from + " when moving to " + to);
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> finish(Claim claim, String outcome, Integer errorCode, String description) {
        return Panache.getSession().flatMap(session -> session.createMutationQuery("""
                        update DeliveryAttempt a set a.finishedAt = :now, a.outcome = :outcome,
                            a.errorCode = :code, a.errorDescription = :description
                        where a.id = :id""")
                .setParameter("now", Instant.now())
                .setParameter("outcome", outcome)
                .setParameter("code", errorCode)
                .setParameter("description", truncate(description))
                .setParameter("id", claim.attemptId())
                .executeUpdate())
                .replaceWithVoid();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 512 ? text : text.substring(0, 512);
    }

    /** The order as claimed, or why it wasn't (attemptId null). */
    record Claim(String orderId, String status, Long attemptId, long buyerId, long recipientId, int months, int starCount,
            long priceMicros) {

        static Claim notClaimed(String status) {
            return new Claim(null, status, null, 0, 0, 0, 0, 0);
        }

        static Claim of(Order order, Long attemptId) {
            return new Claim(order.id, order.status.name(), attemptId, order.buyerId, order.recipientId, order.months,
                    order.starCount, order.priceMicros);
        }
    }
}
