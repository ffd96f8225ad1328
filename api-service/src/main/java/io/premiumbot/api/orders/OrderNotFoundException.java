package io.premiumbot.api.orders;

/** An order id that does not exist. */
public class OrderNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OrderNotFoundException(String orderId) {
        super("no order " + orderId);
    }
}
