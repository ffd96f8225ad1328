package io.premiumbot.api.treasury;

import java.time.Instant;

/** A top-up invoice as stored ({@code star_top_ups}). */
public record StarTopUp(
        long id,
        String operator,
        long telegramId,
        int stars,
        String status,
        String chargeId,
        Instant createdAt,
        Instant expiresAt,
        Instant paidAt) {

    static StarTopUp of(Object[] row) {
        return new StarTopUp(
                ((Number) row[0]).longValue(),
                (String) row[1],
                ((Number) row[2]).longValue(),
                ((Number) row[3]).intValue(),
                (String) row[4],
                (String) row[5],
                instant(row[6]),
                instant(row[7]),
                instant(row[8]));
    }

    /** Times come as epoch milliseconds from the query. */
    static Instant instant(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }
}
