package io.premiumbot.model.ledger;

/**
 * An idempotency key already booked another move (another user, amount or reason): a replay must be the same move,
 * so answering the old entry would report money moved that never did.
 */
public class LedgerKeyReusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String key;

    public LedgerKeyReusedException(String key) {
        super("ledger key " + key + " already booked a different move");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
