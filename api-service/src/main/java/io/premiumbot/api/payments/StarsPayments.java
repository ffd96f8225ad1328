package io.premiumbot.api.payments;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.order.PayMethod;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Telegram Stars, the payment Telegram requires for digital goods: the invoice payload names the order,
 * {@code pre_checkout_query} is answered only for an order still payable, and each {@code successful_payment}
 * is recorded once by its charge id (a unique constraint) before the order moves to PAID.
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
    public enum Refusal { UNKNOWN_ORDER, NOT_YOURS, NO_LONGER_PAYABLE, WRONG_AMOUNT }

    /** What a successful payment led to. */
    public enum Recorded { PAID, ALREADY_RECORDED }

    public record Result(Recorded recorded, String orderId) {
    }

    /**
     * Stars arrived for an order that can't take them (expired after the checkout, or not the payer's): the
     * transaction rolls back, nothing is recorded, and the caller refunds the charge.
     */
    public static class NotPayableException extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final long userId;
        private final String chargeId;

        public NotPayableException(String orderId, long userId, String chargeId) {
            super("Stars payment " + chargeId + " can't pay order " + orderId);
            this.userId = userId;
            this.chargeId = chargeId;
        }

        public long userId() {
            return userId;
        }

        public String chargeId() {
            return chargeId;
        }
    }

    private final OrderTransitions transitions;

    public StarsPayments(OrderTransitions transitions) {
        this.transitions = transitions;
    }

    public static String payload(String orderId) {
        return PAYLOAD_PREFIX + orderId;
    }

    /** Within the caller's session. */
    public Uni<Optional<Refusal>> checkout(long userId, String currency, long stars, String payload) {
        return order(payload).map(order -> {
            if (order == null) {
                return Optional.of(Refusal.UNKNOWN_ORDER);
            }
            if (order.buyerId != userId) {
                return Optional.of(Refusal.NOT_YOURS);
            }
            if (order.status != OrderStatus.PENDING_PAYMENT || order.expiresAt == null || !order.expiresAt.isAfter(Instant.now())) {
                return Optional.of(Refusal.NO_LONGER_PAYABLE);
            }
            if (!"XTR".equals(currency) || stars != order.starCount) {
                return Optional.of(Refusal.WRONG_AMOUNT);
            }
            return Optional.empty();
        });
    }

    /** Within the caller's transaction; fails with {@link NotPayableException} to roll it back. */
    @WithSpan("StarsPayments.record")
    public Uni<Result> record(long userId, String chargeId, long stars, String payload) {
        return order(payload).flatMap(order -> {
            String orderId = order == null ? null : order.id;
            if (order == null || order.buyerId != userId) {
                return Uni.createFrom().failure(new NotPayableException(orderId, userId, chargeId));
            }
            return Panache.getSession()
                    .flatMap(session -> session.createNativeQuery(RECORD, Long.class)
                            .setParameter(1, chargeId)
                            .setParameter(2, Math.multiplyExact(stars, MICROS_PER_STAR))
                            .setParameter(3, userId)
                            .setParameter(4, Instant.now())
                            .getSingleResultOrNull())
                    .flatMap(id -> id == null
                            ? Uni.createFrom().item(new Result(Recorded.ALREADY_RECORDED, orderId))
                            : pay(order, userId, chargeId));
        });
    }

    private Uni<Result> pay(Order order, long userId, String chargeId) {
        return transitions.pay(order.id, PayMethod.STARS)
                .flatMap(moved -> moved
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new NotPayableException(order.id, userId, chargeId)))
                .map(ignored -> {
                    LOG.infof("event=order_paid orderId=%s method=STARS stars=%d", order.id, order.starCount);
                    return new Result(Recorded.PAID, order.id);
                });
    }

    /** Detached, so the row changes only through conditional updates. */
    private static Uni<Order> order(String payload) {
        if (payload == null || !payload.startsWith(PAYLOAD_PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        String orderId = payload.substring(PAYLOAD_PREFIX.length());
        return Panache.getSession().flatMap(session -> session.find(Order.class, orderId)
                .invoke(order -> {
                    if (order != null) {
                        session.detach(order);
                    }
                }));
    }
}
