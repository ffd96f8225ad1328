package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.worker.delivery.DeliveryAttempts.Latest;
import io.premiumbot.worker.delivery.DeliveryAttempts.Outcome;
import io.premiumbot.worker.delivery.DeliveryAttempts.Settlement;
import io.premiumbot.worker.delivery.StarGifts.Sync;
import io.premiumbot.worker.telegram.TelegramConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides an attempt whose gift may or may not have gone out, from the bot's Star transactions: a gift proven to be
 * its own ({@link GiftAttribution}) → DELIVERED; provably none left for it → not made; Telegram unable to answer →
 * DELIVERY_UNKNOWN; our own budget busy, or not yet safe to say → look again. An absence is proven only after Telegram
 * answered a request sent after the attempt's request was over (it caught up) and the lag with which a transaction
 * appears passed since. The attempt row is the fence and the order moves in the same transaction, so a worker and a
 * reconciler never both decide.
 */
@ApplicationScoped
public class GiftSettlement {

    private static final Logger LOG = Logger.getLogger(GiftSettlement.class);

    /** What the Star transactions say about one attempt now. */
    public enum Verdict {
        FOUND,
        ABSENT,
        NOT_YET,
        UNCLEAR
    }

    private final StarGifts gifts;
    private final DeliveryAttempts attempts;
    private final OrderTransitions transitions;
    private final Duration visibleAfter;
    private final Duration callTimeout;

    public GiftSettlement(
            StarGifts gifts,
            DeliveryAttempts attempts,
            OrderTransitions transitions,
            ReconcileConfig config,
            TelegramConfig telegram) {
        this.gifts = gifts;
        this.attempts = attempts;
        this.transitions = transitions;
        this.visibleAfter = config.giftVisibleAfter();
        this.callTimeout = Duration.ofMillis(telegram.timeoutMillis());
    }

    /**
     * When a read can next tell something about the attempt: once its request is over, a read can witness that
     * Telegram caught up; from then on, once its gift (if any) had the time to be listed.
     */
    public Instant safeAt(Latest attempt) {
        if (attempt.caughtUpAt() != null) {
            return attempt.caughtUpAt().plus(visibleAfter);
        }
        return attempt.finishedAt() != null
                ? attempt.finishedAt()
                : (attempt.sentAt() != null ? attempt.sentAt() : attempt.startedAt()).plus(callTimeout);
    }

    /** The verdict for {@code attempt} from a read of the list ({@code null}: another replica holds the lease). */
    public Uni<Verdict> verdict(Sync sync, Latest attempt) {
        if (sync == null) {
            return Uni.createFrom().item(Verdict.NOT_YET);
        }
        return Panache.withSession(() -> attempts.proof(attempt.id())).map(proof -> switch (proof) {
            case GIFT -> Verdict.FOUND;
            case NO_GIFT -> Verdict.ABSENT;
            // only Telegram's own failure to answer is unclear; a busy budget or an unfinished read is "later"
            case NONE_YET -> sync.failed() ? Verdict.UNCLEAR : Verdict.NOT_YET;
        });
    }

    /**
     * Applies a verdict to a DELIVERING order's attempt: FOUND → DELIVERED, ABSENT → {@code whenAbsent} (PAID to send
     * again, or FAILED when its attempts are spent), UNCLEAR → DELIVERY_UNKNOWN. False when someone else decided first.
     */
    public Uni<Boolean> settle(
            String orderId, Latest attempt, Verdict verdict, OrderStatus whenAbsent, String absentReason) {
        Settlement settlement;
        OrderStatus to;
        String reason = null;
        switch (verdict) {
            case FOUND -> {
                settlement = Settlement.FOUND;
                to = OrderStatus.DELIVERED;
            }
            case ABSENT -> {
                settlement = Settlement.ABSENT;
                to = whenAbsent;
                reason = absentReason;
            }
            case UNCLEAR -> {
                settlement = Settlement.UNCLEAR;
                to = OrderStatus.DELIVERY_UNKNOWN;
                reason = "Telegram could not say whether the gift was made; its Star transactions will be asked again";
            }
            default -> {
                return Uni.createFrom().item(false);
            }
        }
        String why = reason;
        return Panache.withTransaction(() -> attempts.settle(attempt.id(), settlement, Outcome.LOST)
                        .flatMap(won -> won
                                ? transitions.move(orderId, OrderStatus.DELIVERING, to, why)
                                : Uni.createFrom().item(false)))
                .invoke(moved -> {
                    if (moved) {
                        LOG.infof(
                                "event=gift_settled orderId=%s attemptId=%d settlement=%s status=%s",
                                orderId, attempt.id(), settlement, to);
                    }
                });
    }

    /**
     * Reads the Star transactions once (under the lease) and hands each attempt's verdict to {@code decide}, one after
     * another; the number {@code decide} reported settled. Nothing is read when another replica holds the lease.
     */
    public Uni<Integer> decideAll(List<Latest> pending, BiFunction<Latest, Verdict, Uni<Boolean>> decide) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return gifts.read().flatMap(sync -> {
            if (sync == null) {
                LOG.debug("event=star_transactions_busy reason=another_replica_holds_the_lease");
                return Uni.createFrom().item(0);
            }
            return Multi.createFrom()
                    .iterable(pending)
                    .onItem()
                    .transformToUniAndConcatenate(
                            attempt -> verdict(sync, attempt).flatMap(verdict -> decide.apply(attempt, verdict)))
                    .collect()
                    .asList()
                    .map(settled ->
                            (int) settled.stream().filter(Boolean.TRUE::equals).count())
                    .call(() -> gifts.release(sync))
                    .onFailure()
                    .call(() -> gifts.release(sync));
        });
    }

    /**
     * Applies a verdict to a DELIVERY_UNKNOWN order's attempt: FOUND → DELIVERED, ABSENT → PAID (sent again);
     * false for any other verdict, or when the order was decided otherwise meanwhile (an operator).
     */
    public Uni<Boolean> resettle(String orderId, Latest attempt, Verdict verdict) {
        if (verdict != Verdict.FOUND && verdict != Verdict.ABSENT) {
            return Uni.createFrom().item(false);
        }
        Settlement settlement = verdict == Verdict.FOUND ? Settlement.FOUND : Settlement.ABSENT;
        OrderStatus to = verdict == Verdict.FOUND ? OrderStatus.DELIVERED : OrderStatus.PAID;
        return Panache.withTransaction(() -> transitions
                .move(orderId, OrderStatus.DELIVERY_UNKNOWN, to)
                .flatMap(moved -> moved
                        ? attempts.resettle(attempt.id(), settlement).invoke(settled -> {
                            if (!settled) {
                                throw new IllegalStateException("attempt " + attempt.id() + " was decided already");
                            }
                        })
                        : Uni.createFrom().item(false)));
    }

    /** An abandoned attempt that never went out (no sent_at): back to PAID, no Telegram needed. */
    public Uni<Boolean> settleUnsent(String orderId, Latest attempt) {
        return Panache.withTransaction(() -> attempts.settleUnsent(attempt.id())
                        .flatMap(won -> won
                                ? transitions.move(orderId, OrderStatus.DELIVERING, OrderStatus.PAID)
                                : Uni.createFrom().item(false)))
                .invoke(moved -> {
                    if (moved) {
                        LOG.infof(
                                "event=gift_settled orderId=%s attemptId=%d settlement=NOT_SENT status=PAID",
                                orderId, attempt.id());
                    }
                });
    }
}
