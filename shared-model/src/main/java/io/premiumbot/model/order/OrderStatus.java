package io.premiumbot.model.order;

import java.util.EnumSet;
import java.util.Set;

/** The order state machine (docs/order-states.md). Every move is a conditional update from the expected state. */
public enum OrderStatus {
    PENDING_PAYMENT,
    PAID,
    DELIVERING,
    DELIVERED,
    EXPIRED,
    FAILED,
    REFUNDED,
    DELIVERY_UNKNOWN;

    public Set<OrderStatus> next() {
        return switch (this) {
            case PENDING_PAYMENT -> EnumSet.of(PAID, EXPIRED);
            // DELIVERING → PAID hands a job back when Telegram was unreachable or the Stars balance is short;
            // PAID → FAILED when its job spent its attempts (each provably not carried out), or when the operator gives
            // up on an order stuck waiting (a queued job then finds it not PAID): refunded in the currency paid, or
            // retried
            case PAID -> EnumSet.of(DELIVERING, FAILED);
            case DELIVERING -> EnumSet.of(DELIVERED, FAILED, DELIVERY_UNKNOWN, PAID);
            // reconciliation: found in getStarTransactions → DELIVERED; clearly absent → PAID; operator → FAILED
            case DELIVERY_UNKNOWN -> EnumSet.of(DELIVERED, PAID, FAILED);
            case FAILED -> EnumSet.of(REFUNDED, PAID);
            // an on-chain transfer whose block time is before the expiry, seen only after the expiry job ran, still
            // pays
            case EXPIRED -> EnumSet.of(PAID);
            case DELIVERED, REFUNDED -> EnumSet.noneOf(OrderStatus.class);
        };
    }

    public boolean canMoveTo(OrderStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }
}
