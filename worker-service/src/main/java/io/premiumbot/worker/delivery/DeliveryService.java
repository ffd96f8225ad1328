package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.order.DeliveryAttempt;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.model.refund.OrderRefunds;
import io.premiumbot.worker.notify.CustomerNotifications;
import io.premiumbot.worker.notify.CustomerNotifications.Event;
import io.premiumbot.worker.queue.Backoff;
import io.premiumbot.worker.queue.JobQueue;
import io.premiumbot.worker.queue.WorkerIdentity;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.CallWithheld;
import io.premiumbot.worker.telegram.StarsBalance;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One delivery, idempotent. The claim PAID → DELIVERING and the attempt row commit together before Telegram is
 * called, so a replayed or duplicated job finds the order no longer PAID and does nothing. Right before the call the
 * worker checks that the job is still its own (in its processing list, its attempt neither finished nor settled by a
 * reconciler) and stamps the attempt as sent. The outcome commits after the call; an ambiguous one (5xx, no answer)
 * leaves the order DELIVERING and the job comes back to read the Star transactions before any new call.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final OrderTransitions transitions;
    private final OrderRefunds refunds;
    private final BotApi botApi;
    private final StarsBalance stars;
    private final Backoff backoff;
    private final WorkerIdentity identity;
    private final CustomerNotifications notifications;
    private final DeliveryAttempts attempts;
    private final AmbiguousGifts ambiguous;
    private final JobQueue queue;
    private final jakarta.enterprise.event.Event<StarsSpent> spent;

    public DeliveryService(
            OrderTransitions transitions,
            OrderRefunds refunds,
            BotApi botApi,
            StarsBalance stars,
            Backoff backoff,
            WorkerIdentity identity,
            CustomerNotifications notifications,
            DeliveryAttempts attempts,
            AmbiguousGifts ambiguous,
            JobQueue queue,
            jakarta.enterprise.event.Event<StarsSpent> spent) {
        this.spent = spent;
        this.transitions = transitions;
        this.refunds = refunds;
        this.botApi = botApi;
        this.stars = stars;
        this.backoff = backoff;
        this.identity = identity;
        this.notifications = notifications;
        this.attempts = attempts;
        this.ambiguous = ambiguous;
        this.queue = queue;
    }

    /** Delivers the job {@code raw} that {@code workerId} holds in its processing list. */
    @WithSpan("DeliveryService.deliver")
    public Uni<DeliveryOutcome> deliver(DeliveryJob job, String workerId, String raw) {
        if (stars.isPaused()) {
            return Uni.createFrom()
                    .item(new DeliveryOutcome.RetryLater(
                            stars.recheckEvery(),
                            false,
                            DeliveryOutcome.RetryClass.STARS_PAUSED,
                            "stars balance too low"));
        }
        // the job's own safe context: database work after the rate limiter's wait must come back to it
        Context context = Vertx.currentContext();
        return Panache.withTransaction(() -> claim(job)).flatMap(claim -> {
            if (claim.attemptId() != null) {
                return gift(claim, job, workerId, raw, context);
            }
            if (claim.pending() != null && claim.pending().awaitsCheck()) {
                return ambiguous.check(claim, job);
            }
            if (claim.floodWait() != null) {
                // PAID but inside its flood wait: this job (a retry, the reconciler's, an operator's) comes back after
                // it
                return Uni.createFrom().item((DeliveryOutcome) new DeliveryOutcome.RetryLater(
                        claim.floodWait(),
                        false,
                        DeliveryOutcome.RetryClass.RATE_LIMITED,
                        "inside Telegram's flood wait for this order"));
            }
            return Uni.createFrom().item((DeliveryOutcome) new DeliveryOutcome.Skipped(claim.status()));
        });
    }

    @WithSpan("DeliveryService.claim")
    Uni<Claim> claim(DeliveryJob job) {
        String orderId = job.orderId();
        return transitions
                .claimForGift(orderId)
                .flatMap(claimed -> Order.<Order>findById(orderId).flatMap(order -> {
                    if (order == null) {
                        return Uni.createFrom().item(Claim.notClaimed("MISSING"));
                    }
                    if (!claimed) {
                        // a DELIVERING order whose last answer was ambiguous waits for this job to check Telegram
                        return order.status == OrderStatus.DELIVERING
                                ? attempts.latest(orderId).map(latest -> Claim.of(order, null, latest))
                                : Uni.createFrom().item(Claim.of(order, null, null));
                    }
                    return nextAttemptNumber(orderId).flatMap(number -> {
                        DeliveryAttempt attempt = new DeliveryAttempt();
                        attempt.orderId = orderId;
                        attempt.attempt = number;
                        attempt.workerId = identity.id();
                        attempt.startedAt = Instant.now();
                        return attempt.<DeliveryAttempt>persistAndFlush().map(saved -> Claim.of(order, saved.id, null));
                    });
                }));
    }

    private static Uni<Integer> nextAttemptNumber(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createSelectionQuery(
                                "select coalesce(max(a.attempt), 0) from DeliveryAttempt a where a.orderId = :id",
                                Integer.class)
                        .setParameter("id", orderId)
                        .getSingleResult())
                .map(max -> max + 1);
    }

    private Uni<DeliveryOutcome> gift(Claim claim, DeliveryJob job, String workerId, String raw, Context context) {
        return botApi.giftPremiumSubscription(
                        claim.recipientId(),
                        claim.months(),
                        claim.starCount(),
                        stillOurs(claim, workerId, raw, context))
                .map(done -> (Throwable) null)
                .onFailure(failure -> failure instanceof TelegramException || failure instanceof CallWithheld)
                .recoverWithItem(failure -> failure)
                // the outcome must not be lost to a database blip: the gift can't be taken back
                .flatMap(failure -> Uni.createFrom()
                        .deferred(() -> Panache.withTransaction(() -> record(claim, job, failure)))
                        .onFailure()
                        .retry()
                        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2))
                        .atMost(3))
                // only once the outcome is committed does the buyer hear of it
                .call(outcome -> notify(claim, outcome));
    }

    /**
     * Run after the rate limiter's wait, right before the request: the job must still be in this worker's processing
     * list (not reaped, not reclaimed) and the attempt must still be open; stamping it sent is the fence reconcilers honour.
     */
    private Uni<Void> stillOurs(Claim claim, String workerId, String raw, Context context) {
        return Uni.createFrom()
                .deferred(() -> queue.holds(workerId, raw)
                        .flatMap(held -> held
                                ? Panache.withTransaction(() -> attempts.markSent(claim.attemptId()))
                                        .map(open -> open ? null : "its attempt was settled by a reconciler")
                                : Uni.createFrom().item("it is no longer in this worker's processing list")))
                .runSubscriptionOn(StarGifts.on(context))
                .flatMap(why -> why == null
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new CallWithheld(why)));
    }

    private Uni<Void> notify(Claim claim, DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            // the gift's Stars are counted as spent until a read shows them gone (star_treasury_reserved)
            spent.fire(new StarsSpent(claim.orderId()));
            return notifications.enqueue(Event.delivered(
                    claim.orderId(), claim.buyerId(), claim.recipientId(), claim.months(), claim.priceMicros()));
        }
        if (outcome instanceof DeliveryOutcome.Refunded refunded) {
            return notifications.enqueue(Event.refunded(
                    claim.orderId(),
                    claim.buyerId(),
                    claim.recipientId(),
                    claim.months(),
                    claim.priceMicros(),
                    refunded.reason()));
        }
        return Uni.createFrom().voidItem();
    }

    /** Commits what the call's answer means, as {@link GiftAnswer} says: the attempt, the order, the job's next step. */
    @WithSpan("DeliveryService.settle")
    Uni<DeliveryOutcome> record(Claim claim, DeliveryJob job, Throwable failure) {
        GiftAnswer answer = GiftAnswer.of(failure);
        Integer code = errorCode(failure);
        String description = description(failure);
        if (answer == GiftAnswer.DELIVERED) {
            LOG.infof("event=%s orderId=%s attempt=%d", answer.event(), claim.orderId(), job.attempt());
        } else {
            LOG.warnf(
                    "event=%s orderId=%s attempt=%d code=%s description=%s",
                    answer.event(), claim.orderId(), job.attempt(), code, description);
        }
        if (answer == GiftAnswer.BALANCE_TOO_LOW) {
            stars.pause(claim.starCount());
        }
        return finish(
                claim,
                answer.attemptOutcome(),
                code,
                description,
                () -> moveOrder(claim.orderId(), answer, description)
                        .chain(() -> next(claim, job, answer, failure, description)));
    }

    private Uni<Void> moveOrder(String orderId, GiftAnswer answer, String description) {
        if (answer.orderAfter() == null) {
            return Uni.createFrom().voidItem();
        }
        String reason = answer.orderAfter() == OrderStatus.FAILED ? description : null;
        return move(orderId, OrderStatus.DELIVERING, answer.orderAfter(), reason);
    }

    private Uni<DeliveryOutcome> next(
            Claim claim, DeliveryJob job, GiftAnswer answer, Throwable failure, String description) {
        if (answer.retries()) {
            Duration wait = waitFor(answer, failure, job);
            DeliveryOutcome later =
                    new DeliveryOutcome.RetryLater(wait, answer.countsAsAttempt(), answer.retryClass(), description);
            // durable, with the move back to PAID: no job of this order (a duplicate, the reconciler's) calls before it
            return answer == GiftAnswer.RATE_LIMITED
                    ? transitions.holdGift(claim.orderId(), wait).replaceWith(later)
                    : Uni.createFrom().item(later);
        }
        switch (answer) {
            case DELIVERED:
                return Uni.createFrom().item(new DeliveryOutcome.Delivered());
            case WITHHELD:
                return Uni.createFrom().item(new DeliveryOutcome.Withheld(true));
            case REJECTED:
                // back in the currency paid: the wallet at once, Stars through the worker's refunds
                return refunds.refundFailed(claim.orderId())
                        .map(started -> started == OrderRefunds.Started.WALLET_CREDITED
                                ? new DeliveryOutcome.Refunded(description)
                                : new DeliveryOutcome.StarsRefundRequested(description));
            default:
                throw new IllegalStateException(answer + " neither retries nor settles the job");
        }
    }

    private Duration waitFor(GiftAnswer answer, Throwable failure, DeliveryJob job) {
        switch (answer.waitKind()) {
            case TELEGRAMS_RETRY_AFTER:
                return ((TelegramException.RateLimited) failure).retryAfter();
            case UNTIL_REACHABLE:
                // plus one jittered step of backoff (min to 2 × min), so the jobs waiting on one circuit don't all come
                // back at its first trial
                return failure instanceof TelegramException.NotSent notSent
                                && notSent.retryAfter().isPresent()
                        ? notSent.retryAfter().get().plus(backoff.afterAttempt(2))
                        : backoff.afterAttempt(job.attempt());
            case STARS_RECHECK:
                return stars.recheckEvery();
            case STAR_TRANSACTIONS_CHECK:
                return ambiguous.checkAfter();
            default:
                throw new IllegalStateException(answer + " does not wait");
        }
    }

    private static Integer errorCode(Throwable failure) {
        if (failure instanceof TelegramException.RateLimited) {
            return 429;
        }
        if (failure instanceof TelegramException.Unavailable unavailable) {
            return unavailable.errorCode();
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            return rejected.errorCode();
        }
        return null;
    }

    /** Telegram's description for a refusal, else the failure's message (a typed exception's, never a payload). */
    private static String description(Throwable failure) {
        if (failure == null) {
            return null;
        }
        if (failure instanceof TelegramException.Rejected rejected) {
            return rejected.description();
        }
        return failure.getMessage();
    }

    /** Closes the attempt, then {@code then}; when a reconciler settled the attempt first, its decision stands. */
    private Uni<DeliveryOutcome> finish(
            Claim claim,
            String outcome,
            Integer errorCode,
            String description,
            java.util.function.Supplier<Uni<DeliveryOutcome>> then) {
        return attempts.finish(claim.attemptId(), outcome, errorCode, description)
                .flatMap(won -> {
                    if (won) {
                        return then.get();
                    }
                    LOG.warnf("event=attempt_settled_elsewhere orderId=%s outcome_seen=%s", claim.orderId(), outcome);
                    return Uni.createFrom().item(new DeliveryOutcome.Skipped("SETTLED_ELSEWHERE"));
                });
    }

    private Uni<Void> move(String orderId, OrderStatus from, OrderStatus to, String reason) {
        return transitions
                .move(orderId, from, to, reason)
                .invoke(moved -> {
                    if (!moved) {
                        throw new IllegalStateException(
                                "order " + orderId + " was not " + from + " when moving to " + to);
                    }
                })
                .replaceWithVoid();
    }

    /** The order as claimed (attemptId set), or why it wasn't; {@code pending} is a DELIVERING order's latest attempt. */
    record Claim(
            String orderId,
            String status,
            Long attemptId,
            long buyerId,
            long recipientId,
            int months,
            int starCount,
            long priceMicros,
            DeliveryAttempts.Latest pending,
            Duration floodWait) {

        /** A PAID order not claimed waits out its flood wait; at least this long, so clocks that differ can't spin it. */
        private static final Duration MIN_FLOOD_RECHECK = Duration.ofSeconds(1);

        static Claim notClaimed(String status) {
            return new Claim(null, status, null, 0, 0, 0, 0, 0, null, null);
        }

        static Claim of(Order order, Long attemptId, DeliveryAttempts.Latest pending) {
            return new Claim(
                    order.id,
                    order.status.name(),
                    attemptId,
                    order.buyerId,
                    order.recipientId,
                    order.months,
                    order.starCount,
                    order.priceMicros,
                    pending,
                    attemptId == null && order.status == OrderStatus.PAID ? floodWait(order) : null);
        }

        /** Left of the order's flood wait by this clock; a PAID order the claim refused always waits a little. */
        private static Duration floodWait(Order order) {
            Duration left =
                    order.giftNotBefore == null ? Duration.ZERO : Duration.between(Instant.now(), order.giftNotBefore);
            return left.compareTo(MIN_FLOOD_RECHECK) < 0 ? MIN_FLOOD_RECHECK : left;
        }
    }
}
