package io.premiumbot.api.payments;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.order.PayMethod;
import io.premiumbot.model.refund.StarRefundRequests;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Telegram Stars, the payment Telegram requires for digital goods: the invoice payload names the order,
 * {@code pre_checkout_query} is answered only for an order still payable, and each {@code successful_payment}
 * is recorded once by its charge id (a unique constraint) before the order moves to PAID, the charge id kept on the
 * order for a refund in Stars.
 */
@ApplicationScoped
public class StarsPayments {

    private static final Logger LOG = Logger.getLogger(StarsPayments.class);
    private static final String PAYLOAD_PREFIX = "order:";
    /** Stars are whole units; the payments table keeps micro-units of its currency, as for USDT. */
    private static final long MICROS_PER_STAR = 1_000_000L;

    private static final String RECORD = """
            insert into payments (provider, external_id, currency, amount_micros, user_id, status, occurred_at, created_at)
            values ('STARS', ?1, 'XTR', ?2, ?3, 'CREDITED', ?4, ?4)
            on conflict (provider, external_id) do nothing
            returning id""";

    /** Why a checkout can't go on, as a text key; empty when it may. */
    public enum Refusal {
        UNKNOWN_ORDER,
        NOT_YOURS,
        NO_LONGER_PAYABLE,
        WRONG_AMOUNT,
        /** The bot's Stars no longer cover the gift: nothing is charged that would have to be refunded. */
        SOLD_OUT,
        /** The chargeback guard's daily limit for a buyer without a delivered order. */
        STARS_DAILY_LIMIT
    }

    /** What a successful payment led to. */
    public enum Recorded {
        PAID,
        ALREADY_RECORDED,
        /** The order could not take the Stars: they are recorded and a refund is requested from the worker. */
        REFUNDING
    }

    /** {@code heldUntil}: when the chargeback guard holds a PAID order's gift until then; else null. */
    public record Result(Recorded recorded, String orderId, Instant heldUntil) {

        Result(Recorded recorded, String orderId) {
            this(recorded, orderId, null);
        }
    }

    private static final String KEEP_CHARGE =
            "update orders set star_charge_id = ?1 where id = ?2 and star_charge_id is null";

    private final OrderTransitions transitions;
    private final StarRefundRequests refunds;
    private final StarSupply supply;
    private final StarsGuard guard;

    public StarsPayments(
            OrderTransitions transitions, StarRefundRequests refunds, StarSupply supply, StarsGuard guard) {
        this.transitions = transitions;
        this.refunds = refunds;
        this.supply = supply;
        this.guard = guard;
    }

    public static String payload(String orderId) {
        return PAYLOAD_PREFIX + orderId;
    }

    /**
     * Within the caller's transaction. A payable order must be within the chargeback guard's daily limit (the approval
     * is recorded, so a concurrent checkout counts this one) and still covered by the bot's Stars; one without a hold
     * takes one here, since the payment follows at once.
     */
    public Uni<Optional<Refusal>> checkout(long userId, String currency, long stars, String payload) {
        return order(payload).flatMap(order -> {
            Optional<Refusal> refusal = refusal(order, userId, currency, stars);
            if (refusal.isPresent()) {
                return Uni.createFrom().item(refusal);
            }
            return guard.atCheckout(order)
                    .flatMap(overLimit -> overLimit.isPresent()
                            ? Uni.createFrom().item(Optional.of(Refusal.STARS_DAILY_LIMIT))
                            : supply.coverCheckout(order.id, order.starCount)
                                    .map(covered -> Optional.<Refusal>empty())
                                    .onFailure(StarsSoldOutException.class)
                                    .recoverWithUni(
                                            () -> supply.soldOutSpell().replaceWith(Optional.of(Refusal.SOLD_OUT))));
        });
    }

    private static Optional<Refusal> refusal(Order order, long userId, String currency, long stars) {
        if (order == null) {
            return Optional.of(Refusal.UNKNOWN_ORDER);
        }
        if (order.buyerId != userId) {
            return Optional.of(Refusal.NOT_YOURS);
        }
        if (order.status != OrderStatus.PENDING_PAYMENT
                || order.expiresAt == null
                || !order.expiresAt.isAfter(Instant.now())) {
            return Optional.of(Refusal.NO_LONGER_PAYABLE);
        }
        if (!"XTR".equals(currency) || stars != order.starPrice()) {
            return Optional.of(Refusal.WRONG_AMOUNT);
        }
        return Optional.empty();
    }

    /**
     * Within the caller's transaction. Every charge is recorded (once: a replay is {@code ALREADY_RECORDED}); one that
     * can't pay its order is refunded in Stars by the worker, never dropped and never credited as USDT.
     */
    @WithSpan("StarsPayments.record")
    public Uni<Result> record(long userId, String chargeId, long stars, String payload) {
        return order(payload)
                .flatMap(order -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(RECORD, Long.class)
                                .setParameter(1, chargeId)
                                .setParameter(2, Math.multiplyExact(stars, MICROS_PER_STAR))
                                .setParameter(3, userId)
                                .setParameter(4, Instant.now())
                                .getSingleResultOrNull())
                        .flatMap(id -> {
                            String orderId = order == null ? null : order.id;
                            if (id == null) {
                                return Uni.createFrom().item(new Result(Recorded.ALREADY_RECORDED, orderId));
                            }
                            if (order == null || order.buyerId != userId) {
                                return refund(userId, chargeId, stars, null);
                            }
                            return pay(order, userId, chargeId, stars);
                        }));
    }

    private Uni<Result> pay(Order order, long userId, String chargeId, long stars) {
        return transitions.pay(order.id, PayMethod.STARS).flatMap(moved -> {
            if (!moved) {
                return refund(userId, chargeId, stars, order.id);
            }
            LOG.infof("event=order_paid orderId=%s method=STARS stars=%d", order.id, order.starPrice());
            return Panache.getSession()
                    .flatMap(session -> session.createNativeQuery(KEEP_CHARGE)
                            .setParameter(1, chargeId)
                            .setParameter(2, order.id)
                            .executeUpdate())
                    .flatMap(kept -> guard.holdAfterPayment(order))
                    .map(heldUntil -> new Result(Recorded.PAID, order.id, heldUntil));
        });
    }

    /** {@code orderId}: the payer's own order that could no longer take the Stars, for the operator's view. */
    private Uni<Result> refund(long userId, String chargeId, long stars, String orderId) {
        LOG.warnf("event=stars_payment_not_payable orderId=%s userId=%d stars=%d", orderId, userId, stars);
        return refunds.request(chargeId, userId, orderId, stars, StarRefundRequests.Reason.NOT_PAYABLE)
                .replaceWith(new Result(Recorded.REFUNDING, orderId));
    }

    /** Detached, so the row changes only through conditional updates. */
    private static Uni<Order> order(String payload) {
        if (payload == null || !payload.startsWith(PAYLOAD_PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String orderId = payload.substring(PAYLOAD_PREFIX.length());
        return Panache.getSession()
                .flatMap(session -> session.find(Order.class, orderId).invoke(order -> {
                    if (order != null) {
                        session.detach(order);
                    }
                }));
    }
}
