package io.premiumbot.api.payments;

/** A payment id that does not exist. */
public class PaymentNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PaymentNotFoundException(long paymentId) {
        super("no payment " + paymentId);
    }
}
