package io.premiumbot.api.orders;

import io.premiumbot.api.support.NotFoundException;

/** An order id that does not exist. */
public class OrderNotFoundException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    public OrderNotFoundException(String orderId) {
        super("no order " + orderId);
    }
}
