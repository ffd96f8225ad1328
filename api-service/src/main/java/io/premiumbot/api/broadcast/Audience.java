package io.premiumbot.api.broadcast;

import java.util.Locale;

/**
 * Who a broadcast goes to, always among the customers who have written to the bot (Telegram lets a bot write only to
 * them) and have neither blocked it nor opted out with /stop.
 */
public enum Audience {
    /** Every such customer. */
    ALL("true"),
    /** Those with at least one delivered order. */
    BUYERS("exists (select 1 from orders o where o.buyer_id = u.telegram_id and o.status = 'DELIVERED')"),
    /** Those with no order delivered in the last N days, including those who never bought. */
    LAPSED("not exists (select 1 from orders o where o.buyer_id = u.telegram_id and o.status = 'DELIVERED'"
            + " and o.delivered_at > now() - $1::integer * interval '1 day')");

    /**
     * Customers who have written to the bot: every update's sender is stored with a first name (Telegram requires one),
     * a recipient only picked by someone else is not.
     */
    private static final String REACHABLE =
            "u.first_name is not null and u.bot_blocked_at is null and u.announcements_off_at is null";

    private final String condition;

    Audience(String condition) {
        this.condition = condition;
    }

    /** The customers of this audience, as a condition on {@code users u}; {@code $1} is the days of {@link #LAPSED}. */
    String where() {
        return REACHABLE + " and " + condition + (this == LAPSED ? "" : " and $1::integer is null");
    }

    static Audience parse(String value) {
        try {
            return Audience.valueOf(value == null ? "" : value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audience: one of ALL, BUYERS, LAPSED");
        }
    }
}
