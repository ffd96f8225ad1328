package io.premiumbot.worker.telegram;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the Bot API is and how hard we may call it. The token is a secret: never logged, never in a URL we print.
 *
 * <p>The client's bounds, all enforced by Vert.x itself so that a request the worker wrote off can never be written
 * later: {@link #connectTimeout()} (TCP connect), {@link #poolWait()} (waiting for a pooled connection, connect
 * included), {@link #maxWaitQueue()} (requests waiting for a connection at once) and {@link #timeoutMillis()}, the
 * whole call.
 */
@ConfigMapping(prefix = "telegram")
public interface TelegramConfig {

    String apiUrl();

    String botToken();

    // the budget toward Telegram (telegram.rate-*) is shared-model's TelegramBudgetConfig

    /** Shorter than the call timeout, so a connection that never opens is told apart from an unanswered call. */
    Duration connectTimeout();

    /**
     * The longest a request waits for a pooled connection (and its connect); past it the request is dropped unwritten
     * ({@link TelegramException.NotSent}). Never longer than what is left of the call's {@link #timeoutMillis()}.
     */
    @WithDefault("5S")
    Duration poolWait();

    /** Requests that may wait for a pooled connection at once; one more fails at once, unwritten. */
    @WithDefault("64")
    int maxWaitQueue();

    /**
     * THE bound on one call, from the moment it is handed to the transport (before the gift's attempt is stamped
     * {@code sent_at}) to Telegram's answer: by then the request was answered, reset (its connection closed), or never
     * written. Settlement windows are derived from it.
     */
    long timeoutMillis();

    /** How long a method group's circuit stays open before it lets a trial call through. */
    @WithDefault("30000")
    long circuitOpenMillis();
}
