package io.premiumbot.api.operators;

/** What an operator may do; each role includes the ones before it. */
public enum Role {
    /** Reads everything, changes nothing. */
    VIEWER,
    /** Every action on orders, payments and jobs. */
    OPERATOR,
    /** Also prices and wallet adjustments. */
    ADMIN;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }
}
