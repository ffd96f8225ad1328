package io.premiumbot.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** For every user: the sum of the ledger equals the balance, and no balance is negative. */
public final class LedgerInvariant {

    private LedgerInvariant() {}

    public static void assertHolds(Pool pool) {
        Row row = pool.query("""
                select count(*) filter (where u.balance_micros <> coalesce(l.total, 0)) as drifting,
                       count(*) filter (where u.balance_micros < 0) as negative
                from users u
                left join (select user_id, sum(amount_micros) as total from ledger_entries group by user_id) l
                       on l.user_id = u.telegram_id""")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(10))
                .iterator()
                .next();
        assertEquals(0L, row.getLong("drifting"), "users whose ledger sum differs from their balance");
        assertEquals(0L, row.getLong("negative"), "users with a negative balance");
    }
}
