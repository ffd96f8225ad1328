package io.premiumbot.api.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Time filters of the operator API: ISO-8601 instants, or absent. */
public final class Instants {

    private Instants() {}

    public static Instant parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-25T08:00:00Z");
        }
    }
}
