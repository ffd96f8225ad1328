package io.premiumbot.api.orders;

import java.time.Instant;
import java.util.Optional;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Order;

/** What buying produced: an order paid from the wallet, or one waiting for an on-chain payment. */
public sealed interface Purchase {

    Order order();

    record PaidFromWallet(Order order, Money balanceAfter) implements Purchase {}

    /** Waiting for a Telegram Stars payment of the order's star count. */
    record AwaitingStars(Order order) implements Purchase {}

    /** {@code address} is empty when the shop has no TRON address configured. */
    record AwaitingPayment(Order order, Money payAmount, Instant expiresAt, Optional<String> address, Money balance)
            implements Purchase {}
}
