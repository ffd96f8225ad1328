package io.premiumbot.api.support;

/** Something a request names (an order, a payment) does not exist: answered 404 with a problem body. */
public class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
