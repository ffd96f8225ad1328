package io.premiumbot.api.payments;

import java.time.Instant;

/** The customer already holds the most open on-chain payment requests allowed; nobody may exhaust the amount space. */
public class TooManyOpenRequestsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long open;
    private final transient Instant firstRunsOut;

    public TooManyOpenRequestsException(long userId, long open, Instant firstRunsOut) {
        super("user " + userId + " holds " + open + " open payment requests");
        this.open = open;
        this.firstRunsOut = firstRunsOut;
    }

    public long open() {
        return open;
    }

    /** When the customer's earliest open request runs out and frees a place. */
    public Instant firstRunsOut() {
        return firstRunsOut;
    }
}
