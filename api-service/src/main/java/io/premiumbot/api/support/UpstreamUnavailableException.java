package io.premiumbot.api.support;

/** A service we depend on (Telegram) did not answer usefully; the caller can try again: answered 503. */
public class UpstreamUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UpstreamUnavailableException(String message) {
        super(message);
    }
}
