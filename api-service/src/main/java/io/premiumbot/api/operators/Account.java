package io.premiumbot.api.operators;

/**
 * A configured operator: the name the audit log records, the role that bounds what they may do, and their own
 * Telegram account (null when not configured), where a Stars top-up invoice is sent.
 */
public record Account(String name, Role role, Long telegramId) {

    public Account(String name, Role role) {
        this(name, role, null);
    }
}
