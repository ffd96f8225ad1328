package io.premiumbot.api.support;

/** A request that contradicts the current state (a transition that is no longer possible, a reused key). */
public class ConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
