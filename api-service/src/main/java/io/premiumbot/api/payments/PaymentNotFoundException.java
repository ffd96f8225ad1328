package io.premiumbot.api.payments;

import io.premiumbot.api.support.NotFoundException;

/** A payment id that does not exist. */
public class PaymentNotFoundException extends NotFoundException {

    private static final long serialVersionUID = 1L;

    public PaymentNotFoundException(long paymentId) {
        super("no payment " + paymentId);
    }
}
