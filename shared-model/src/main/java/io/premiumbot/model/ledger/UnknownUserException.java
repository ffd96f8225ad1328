package io.premiumbot.model.ledger;

/** A user id the bot has never seen. */
public class UnknownUserException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long userId;

    public UnknownUserException(long userId) {
        super("unknown user " + userId);
        this.userId = userId;
    }

    public long userId() {
        return userId;
    }
}
