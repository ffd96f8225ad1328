package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.queue.DeliveryJob;
import io.premiumbot.worker.delivery.DeliveryAttempts.Latest;
import io.premiumbot.worker.delivery.DeliveryOutcome.RetryClass;
import io.premiumbot.worker.delivery.DeliveryService.Claim;
import io.premiumbot.worker.delivery.GiftSettlement.Verdict;
import io.premiumbot.worker.notify.CustomerNotifications;
import io.premiumbot.worker.notify.CustomerNotifications.Event;
import io.premiumbot.worker.queue.Backoff;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The job's way back after an ambiguous answer (5xx, none): no new call before the bot's Star transactions are read.
 * The first read, right after the request is over, witnesses that Telegram caught up with it; once a transaction had
 * the time to be listed since, the gift is there → DELIVERED; provably absent → PAID and one more attempt (counted:
 * when the attempts are spent the job handler fails the order); Telegram can't tell → DELIVERY_UNKNOWN; not yet safe
 * to say (or our budget busy) → the job waits again.
 */
@ApplicationScoped
public class AmbiguousGifts {

    /** How soon a job that found the Star transactions' lease busy, or the list not read to its end, looks again. */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(2);

    private final GiftSettlement settlement;
    private final StarGifts gifts;
    private final DeliveryAttempts attempts;
    private final Backoff backoff;
    private final CustomerNotifications notifications;

    public AmbiguousGifts(
            GiftSettlement settlement,
            StarGifts gifts,
            DeliveryAttempts attempts,
            Backoff backoff,
            CustomerNotifications notifications) {
        this.settlement = settlement;
        this.gifts = gifts;
        this.attempts = attempts;
        this.backoff = backoff;
        this.notifications = notifications;
    }

    /** How long after an ambiguous answer the job comes back: soon, as its first read witnesses Telegram caught up. */
    public Duration checkAfter() {
        return LOOK_AGAIN;
    }

    Uni<DeliveryOutcome> check(Claim claim, DeliveryJob job) {
        Latest attempt = claim.pending();
        Instant safeAt = settlement.safeAt(attempt);
        Instant now = Instant.now();
        if (now.isBefore(safeAt)) {
            return Uni.createFrom().item(notYet(Duration.between(now, safeAt)));
        }
        return gifts.read()
                .flatMap(sync -> settlement
                        .verdict(sync, attempt)
                        .flatMap(verdict -> apply(claim, job, attempt, verdict))
                        .call(() -> sync == null ? Uni.createFrom().voidItem() : gifts.release(sync))
                        .onFailure()
                        .call(() -> sync == null ? Uni.createFrom().voidItem() : gifts.release(sync)));
    }

    private Uni<DeliveryOutcome> apply(Claim claim, DeliveryJob job, Latest attempt, Verdict verdict) {
        if (verdict == Verdict.NOT_YET) {
            // the read may have witnessed Telegram catching up: the attempt's next useful look moved
            return Panache.withSession(() -> attempts.latest(claim.orderId())).map(latest -> {
                Duration untilSafe =
                        latest == null ? Duration.ZERO : Duration.between(Instant.now(), settlement.safeAt(latest));
                return notYet(untilSafe.compareTo(LOOK_AGAIN) > 0 ? untilSafe : LOOK_AGAIN);
            });
        }
        String absent = "Telegram's Star transactions show no gift for attempt " + job.attempt() + "; sending again";
        return settlement
                .settle(claim.orderId(), attempt, verdict, OrderStatus.PAID, absent)
                .flatMap(won -> {
                    if (!won) {
                        return Uni.createFrom()
                                .item((DeliveryOutcome) new DeliveryOutcome.Skipped("SETTLED_ELSEWHERE"));
                    }
                    return switch (verdict) {
                        case FOUND ->
                            notifications
                                    .enqueue(Event.delivered(
                                            claim.orderId(),
                                            claim.buyerId(),
                                            claim.recipientId(),
                                            claim.months(),
                                            claim.priceMicros()))
                                    .replaceWith(new DeliveryOutcome.Delivered());
                        case ABSENT ->
                            Uni.createFrom()
                                    .item(new DeliveryOutcome.RetryLater(
                                            backoff.afterAttempt(job.attempt()),
                                            true,
                                            RetryClass.AMBIGUOUS,
                                            "ambiguous answer and no gift in the Star transactions"));
                        default -> Uni.createFrom().item(new DeliveryOutcome.Unknown());
                    };
                });
    }

    private static DeliveryOutcome notYet(Duration wait) {
        return new DeliveryOutcome.RetryLater(
                wait, false, RetryClass.AMBIGUOUS, "waiting until the Star transactions can tell");
    }
}
