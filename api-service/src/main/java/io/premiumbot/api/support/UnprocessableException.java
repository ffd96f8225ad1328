package io.premiumbot.api.support;

/** A well-formed request the service won't carry out as asked (over a limit, a key reused for another body): 422. */
public class UnprocessableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnprocessableException(String message) {
        super(message);
    }
}
