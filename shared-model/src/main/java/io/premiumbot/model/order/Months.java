package io.premiumbot.model.order;

import java.util.Optional;

/** The Premium durations Telegram sells, with the Stars each gift costs the bot (fixed by Telegram). */
public enum Months {
    THREE(3, 1000),
    SIX(6, 1500),
    TWELVE(12, 2500);

    private final int count;
    private final int stars;

    Months(int count, int stars) {
        this.count = count;
        this.stars = stars;
    }

    public int count() {
        return count;
    }

    public int stars() {
        return stars;
    }

    public static Optional<Months> of(int count) {
        for (Months months : values()) {
            if (months.count == count) {
                return Optional.of(months);
            }
        }
        return Optional.empty();
    }

    public static Months ofCount(int count) {
        return of(count).orElseThrow(() -> new IllegalArgumentException("months must be 3, 6 or 12, not " + count));
    }
}
