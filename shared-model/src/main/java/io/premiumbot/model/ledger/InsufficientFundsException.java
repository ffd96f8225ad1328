package io.premiumbot.model.ledger;

import io.premiumbot.model.money.Money;

/** A debit the balance does not cover (or a user without a wallet row). Nothing was changed. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long userId;
    private final transient Money amount;

    public InsufficientFundsException(long userId, Money amount) {
        super("balance of user " + userId + " does not cover " + amount);
        this.userId = userId;
        this.amount = amount;
    }

    public long userId() {
        return userId;
    }

    public Money amount() {
        return amount;
    }
}
