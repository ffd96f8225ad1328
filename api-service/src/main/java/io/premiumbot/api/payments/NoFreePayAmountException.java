package io.premiumbot.api.payments;

import io.premiumbot.model.money.Money;

/** Every unique amount above this base is held by an open request: the customer should try again shortly. */
public class NoFreePayAmountException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NoFreePayAmountException(Money base) {
        super("no free unique pay amount above " + base);
    }
}
