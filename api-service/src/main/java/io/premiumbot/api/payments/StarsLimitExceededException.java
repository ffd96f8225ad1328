package io.premiumbot.api.payments;

/**
 * The chargeback guard's daily limit: a buyer without a delivered order asked for more Stars in a rolling day than the
 * operator allows. Thrown before any invoice goes out, so the purchase's transaction rolls back with nothing charged.
 */
public class StarsLimitExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int limit;
    private final int asked;

    public StarsLimitExceededException(long buyerId, int limit, long committed, int asked) {
        super("buyer " + buyerId + " has " + committed + " Stars of the day's " + limit + " committed, asked " + asked);
        this.limit = limit;
        this.asked = asked;
    }

    public int limit() {
        return limit;
    }

    /** The Stars this purchase would have charged. */
    public int asked() {
        return asked;
    }
}
