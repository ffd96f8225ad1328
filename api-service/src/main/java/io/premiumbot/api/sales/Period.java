package io.premiumbot.api.sales;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

/** Whole days in the console's time zone: {@code days} of them, the last one {@code last}. */
public record Period(LocalDate last, int days, ZoneId zone) {

    /** The periods the sales page offers. */
    public static final List<Integer> CHOICES = List.of(7, 30, 90);

    public Period {
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("a period is 1 to 366 days");
        }
    }

    /** The {@code days} days up to and including today in {@code zone}. */
    public static Period endingToday(int days, ZoneId zone) {
        return new Period(LocalDate.now(zone), days, zone);
    }

    public LocalDate first() {
        return last.minusDays(days - 1L);
    }

    public Instant from() {
        return first().atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public Instant until() {
        return last.plusDays(1).atStartOfDay(zone).toInstant();
    }

    public List<LocalDate> dates() {
        return Stream.iterate(first(), day -> day.plusDays(1)).limit(days).toList();
    }
}
