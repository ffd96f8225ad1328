package io.premiumbot.model.ledger;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.premiumbot.model.order.PayMethod;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The money moves between a wallet and an order, one implementation for both services: the order's conditional
 * transition and its ledger entry, in the caller's transaction ({@code @WithTransaction}), so both commit or neither.
 */
@ApplicationScoped
public class Wallet {

    private static final String LOCK_ORDER = "select status from orders where id = ?1 for update";

    private final Ledger ledger;
    private final OrderTransitions transitions;

    public Wallet(Ledger ledger, OrderTransitions transitions) {
        this.ledger = ledger;
        this.transitions = transitions;
    }

    /**
     * The price debited from the buyer and PENDING_PAYMENT → PAID. {@code null} when the order is not waiting (nothing
     * changed); fails with {@link InsufficientFundsException} when the wallet doesn't cover the price (nothing changed
     * either, so the caller may offer another way to pay in the same transaction).
     */
    public Uni<Ledger.LedgerChange> payOrder(String orderId, long buyerId, Money price, PayMethod method) {
        return pay(orderId, buyerId, price, method, false);
    }

    /**
     * As {@link #payOrder}, for money that was sent before the order's expiry but seen after it: an order the expiry
     * job closed meanwhile is revived (EXPIRED → PAID) instead of leaving the payment in the wallet.
     */
    public Uni<Ledger.LedgerChange> payOrderPaidInTime(String orderId, long buyerId, Money price, PayMethod method) {
        return pay(orderId, buyerId, price, method, true);
    }

    private Uni<Ledger.LedgerChange> pay(
            String orderId, long buyerId, Money price, PayMethod method, boolean reviveExpired) {
        // the order's row lock keeps its state between the check and the move, so the debit never outlives the move
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                LOCK_ORDER, session.getResultSetMapping(String.class, Order.STATUS))
                        .setParameter(1, orderId)
                        .getSingleResultOrNull())
                .flatMap(status -> {
                    boolean waiting = OrderStatus.PENDING_PAYMENT.name().equals(status);
                    boolean revivable =
                            reviveExpired && OrderStatus.EXPIRED.name().equals(status);
                    if (!waiting && !revivable) {
                        return Uni.createFrom().<Ledger.LedgerChange>nullItem();
                    }
                    return ledger.debit(
                                    buyerId,
                                    price,
                                    LedgerReason.ORDER_PAYMENT,
                                    orderId,
                                    LedgerKeys.orderPayment(orderId))
                            .call(debit -> (waiting
                                            ? transitions.pay(orderId, method)
                                            : transitions.revive(orderId, method))
                                    .invoke(moved -> {
                                        if (!moved) {
                                            throw new IllegalStateException(
                                                    "order " + orderId + " left " + status + " under its row lock");
                                        }
                                    }));
                });
    }

    /**
     * FAILED → REFUNDED and the price back in the buyer's wallet. {@code false} when the order was not FAILED
     * (nothing credited). Only for orders paid in USDT: an order paid in Stars is refunded in Stars.
     */
    public Uni<Boolean> refundOrder(String orderId, long buyerId, Money price) {
        return transitions
                .move(orderId, OrderStatus.FAILED, OrderStatus.REFUNDED)
                .flatMap(moved -> moved
                        ? ledger.credit(buyerId, price, LedgerReason.REFUND, orderId, LedgerKeys.refund(orderId))
                                .replaceWith(true)
                        : Uni.createFrom().item(false));
    }
}
