package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.TelegramUpdates;

/**
 * Customers of a running {@link Stack} for the failover tests: funded through the operator API, buying through the
 * webhook, and what PostgreSQL and the fake Bot API say about their orders afterwards.
 */
final class Shoppers {

    private final Stack stack;
    private final StackClient client;

    Shoppers(Stack stack) {
        this.stack = stack;
        this.client = stack.client();
    }

    /** A new customer with {@code amount} USDT in the wallet (an operator adjustment). */
    long funded(String amount) {
        long user = ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
        StackClient.Reply start = client.say(user, "buyer" + user, "/start");
        assertEquals(200, start.status(), start::toString);
        StackClient.Reply funded = client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment(amount, "failover test funding"),
                Map.of("Idempotency-Key", "fund-" + user));
        assertTrue(funded.status() / 100 == 2, funded::toString);
        return user;
    }

    /** {@code /buy 3} for oneself, paid from the wallet; the webhook's answer. */
    StackClient.Reply buy(long user) {
        return client.say(user, "buyer" + user, "/buy 3");
    }

    /**
     * {@code /buy 3} as Telegram delivers it: the same update (same {@code update_id}) again after any answer that is
     * not 2xx or no answer, until one is 2xx. Returns every status seen (-1: no answer).
     */
    List<Integer> buyAsTelegramWould(long user, Duration giveUpAfter) {
        String update = TelegramUpdates.from(user)
                .firstName("buyer" + user)
                .language("en")
                .text("/buy 3");
        List<Integer> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(giveUpAfter);
        while (Instant.now().isBefore(deadline)) {
            int status;
            try {
                status = client.webhook(update, stack.webhookSecret()).status();
            } catch (IllegalStateException noAnswer) {
                status = -1;
            }
            seen.add(status);
            if (status / 100 == 2) {
                return seen;
            }
            // Telegram backs off between redeliveries; the test's pace is shorter
            ServerProcess.pause(Duration.ofMillis(500));
        }
        throw new AssertionError("the webhook never took " + user + "'s /buy within " + giveUpAfter + ": " + seen);
    }

    /** Orders by status among these buyers' orders, read from PostgreSQL. */
    Map<String, Long> statuses(List<Long> buyers) {
        Map<String, Long> counts = new HashMap<>();
        query("select status, count(*) from orders where buyer_id = any (?) group by status", buyers, rows -> {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        });
        return counts;
    }

    long orders(List<Long> buyers) {
        return statuses(buyers).values().stream().mapToLong(Long::longValue).sum();
    }

    long delivered(List<Long> buyers) {
        return statuses(buyers).getOrDefault("DELIVERED", 0L);
    }

    /** Gifts the fake Bot API received, per recipient among {@code users}. */
    Map<Long, Integer> giftsPerRecipient(List<Long> users) {
        Map<Long, Integer> gifts = new HashMap<>();
        for (FakeBotApi.Call call : stack.botApi().calls("giftPremiumSubscription")) {
            long to = call.longParam("user_id");
            if (users.contains(to)) {
                gifts.merge(to, 1, Integer::sum);
            }
        }
        return gifts;
    }

    /** Every order of these buyers that is DELIVERED got exactly one gift, and no recipient got a gift twice. */
    void assertEachDeliveredOrderGiftedOnce(List<Long> buyers) {
        Map<Long, Integer> gifts = giftsPerRecipient(buyers);
        List<Long> twice = new ArrayList<>();
        gifts.forEach((user, count) -> {
            if (count > 1) {
                twice.add(user);
            }
        });
        assertEquals(List.of(), twice, "recipients gifted more than once");
        long ordersDelivered = delivered(buyers);
        assertEquals(ordersDelivered, gifts.size(), "gifts made vs orders DELIVERED");
    }

    /**
     * The ledger invariant, read from PostgreSQL: each user's balance is their latest entry's balance_after and the sum
     * of their entries, and each paid order has exactly one debit.
     */
    void assertLedgerHolds(List<Long> buyers) {
        query("""
                select u.telegram_id, u.balance_micros, coalesce(sum(e.amount_micros), 0),
                       (select balance_after_micros from ledger_entries l where l.user_id = u.telegram_id
                        order by l.id desc limit 1)
                from users u left join ledger_entries e on e.user_id = u.telegram_id
                where u.telegram_id = any (?) group by u.telegram_id, u.balance_micros""", buyers, rows -> {
            while (rows.next()) {
                long balance = rows.getLong(2);
                assertEquals(balance, rows.getLong(3), "user " + rows.getLong(1) + ": balance vs sum of entries");
                assertEquals(balance, rows.getLong(4), "user " + rows.getLong(1) + ": balance vs latest entry");
            }
        });
        query("""
                select o.id, count(e.id) from orders o
                left join ledger_entries e on e.reference = o.id and e.reason = 'ORDER_PAYMENT'
                where o.buyer_id = any (?) and o.status <> 'PENDING_PAYMENT' group by o.id""", buyers, rows -> {
            while (rows.next()) {
                assertEquals(1, rows.getLong(2), "order " + rows.getString(1) + ": debits");
            }
        });
    }

    interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    void query(String sql, List<Long> users, Rows reader) {
        try (Connection db = DriverManager.getConnection(
                        stack.database().jdbcUrl(),
                        stack.database().user(),
                        stack.database().password());
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setArray(1, db.createArrayOf("bigint", users.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
