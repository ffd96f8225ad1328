package io.premiumbot.api.orders;

import org.jboss.logging.Logger;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.queue.DeliveryQueue;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.refund.OrderRefunds;
import io.premiumbot.model.refund.StarRefundRequests;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the operator does to an order: refund, retry, resolve an unclear delivery. Each is one conditional
 * transition plus its money and audit in one transaction; a retried order is enqueued after the commit.
 */
@ApplicationScoped
public class OrderOperations {

    private static final Logger LOG = Logger.getLogger(OrderOperations.class);

    /** The operator's verdict on a DELIVERY_UNKNOWN order, after checking with Telegram or the customer. */
    public enum Resolution {
        /** The gift arrived: the order is done. */
        DELIVERED,
        /** The gift did not arrive: deliver it again. */
        NOT_DELIVERED,
        /** Give up: the order fails and can then be refunded. */
        FAILED
    }

    private final OrderTransitions transitions;
    private final OrderRefunds refunds;
    private final AuditLog audit;
    private final DeliveryQueue queue;
    private final StarRefundRequests starRefunds;

    public OrderOperations(
            OrderTransitions transitions,
            OrderRefunds refunds,
            AuditLog audit,
            DeliveryQueue queue,
            StarRefundRequests starRefunds) {
        this.transitions = transitions;
        this.refunds = refunds;
        this.audit = audit;
        this.queue = queue;
        this.starRefunds = starRefunds;
    }

    /**
     * Refunds a FAILED order — or one stuck in PAID, never handed to Telegram, which first moves PAID → FAILED — in the
     * currency it was paid in: the price back to the wallet (FAILED → REFUNDED), or for Stars a refund of its charge
     * handed to the worker (the order turns REFUNDED once Telegram confirmed it). Asked twice, it refunds once; a worker
     * claiming the PAID order at the same moment makes one of the two a conflict.
     */
    public Uni<Order> refund(String orderId, Operator operator) {
        return Panache.withTransaction(() -> load(orderId).flatMap(order -> {
            if (order.status != OrderStatus.FAILED && order.status != OrderStatus.PAID) {
                return Uni.createFrom()
                        .failure(new ConflictException("cannot refund order " + order.id + ": it is " + order.status
                                + ", not FAILED or PAID"));
            }
            OrderStatus from = order.status;
            Uni<Order> failed = from == OrderStatus.PAID
                    ? move(order, OrderStatus.PAID, OrderStatus.FAILED, "refund")
                    : Uni.createFrom().item(order);
            return failed.flatMap(ignored -> refunds.refundFailed(order.id))
                    .onFailure(IllegalStateException.class)
                    .transform(
                            e -> new ConflictException("order " + order.id + " changed while being handled; try again"))
                    .invoke(started -> {
                        if (started == OrderRefunds.Started.NO_STAR_CHARGE) {
                            throw new ConflictException(
                                    "order " + order.id + " was paid in Stars before charge ids were"
                                            + " recorded: refund it from Telegram by hand");
                        }
                    })
                    .call(started -> audit.record(
                            "order.refund",
                            "order:" + order.id,
                            operator,
                            (started == OrderRefunds.Started.STARS_REQUESTED
                                            ? "stars=" + order.starPrice()
                                            : "amount="
                                                    + Money.ofMicros(order.priceMicros)
                                                            .plain())
                                    + " from=" + from))
                    .invoke(started -> {
                        order.status = started == OrderRefunds.Started.WALLET_CREDITED
                                ? OrderStatus.REFUNDED
                                : OrderStatus.FAILED;
                        LOG.infof("event=order_refund_started orderId=%s by=operator how=%s", orderId, started);
                    })
                    .replaceWith(order);
        }));
    }

    /**
     * FAILED → PAID and a fresh delivery job; unclear deliveries go through {@link #resolve} instead. Refused while the
     * order's Stars refund is under way: the order ends delivered or refunded, never both.
     */
    public Uni<Order> retry(String orderId, Operator operator) {
        return Panache.withTransaction(() -> load(orderId)
                        .call(order -> noRefundUnderway(order, "retry"))
                        .flatMap(order -> move(order, OrderStatus.FAILED, OrderStatus.PAID, "retry"))
                        .call(order -> audit.record("order.retry", "order:" + order.id, operator, null)))
                .call(order -> queue.enqueuePaid(order.id));
    }

    /**
     * A FAILED order whose Stars refund is PENDING or done can't go back to delivery: a refundStarPayment that may
     * already have reached Telegram can't be called back. The order's row stays locked until the move, so no refund
     * appears in between (PostgreSQL refuses the move too: migration V14).
     */
    public Uni<Void> noRefundUnderway(Order order, String action) {
        if (order.status != OrderStatus.FAILED) {
            return Uni.createFrom().voidItem();
        }
        return starRefunds
                .underwayLockingOrder(order.id)
                .invoke(underway -> underway.ifPresent(refund -> {
                    throw new ConflictException("cannot " + action + ": " + refund.why());
                }))
                .replaceWithVoid();
    }

    public Uni<Order> resolve(String orderId, Resolution resolution, Operator operator) {
        OrderStatus target = switch (resolution) {
            case DELIVERED -> OrderStatus.DELIVERED;
            case NOT_DELIVERED -> OrderStatus.PAID;
            case FAILED -> OrderStatus.FAILED;
        };
        return Panache.withTransaction(() -> load(orderId)
                        .flatMap(order -> move(order, OrderStatus.DELIVERY_UNKNOWN, target, "resolve"))
                        .call(order -> audit.record(
                                "order.resolve", "order:" + order.id, operator, "resolution=" + resolution)))
                .call(order -> target == OrderStatus.PAID
                        ? queue.enqueuePaid(order.id)
                        : Uni.createFrom().voidItem());
    }

    /** Detached: the row changes only through conditional updates, never through a flushed entity. */
    private static Uni<Order> load(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.find(Order.class, orderId)
                        .onItem()
                        .ifNull()
                        .failWith(() -> new OrderNotFoundException(orderId))
                        .invoke(session::detach));
    }

    private Uni<Order> move(Order order, OrderStatus from, OrderStatus to, String action) {
        if (order.status != from) {
            return Uni.createFrom()
                    .failure(new ConflictException(
                            "cannot " + action + " order " + order.id + ": it is " + order.status + ", not " + from));
        }
        return transitions
                .move(order.id, from, to)
                .flatMap(moved -> moved
                        ? Uni.createFrom().item(order).invoke(o -> o.status = to)
                        : Uni.createFrom()
                                .failure(new ConflictException(
                                        "order " + order.id + " changed while being handled; try again")));
    }
}
