package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Telegram may send an update again for up to 24 hours; the worker prunes the claims of processed updates older than
 * its retention (48 h by default). With the prune running every second, a purchase whose claim is 47 hours old is
 * replayed after a prune tick has demonstrably run: the claim is still there, and the replay buys nothing twice.
 */
class ReplayWindowIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private static Stack stack;
    private static StackClient client;

    @BeforeAll
    static void startStack() {
        stack = Stack.start(Stack.Options.defaults().withEnv(Map.of("WORKER_PRUNE_EVERY", "1s")));
        client = stack.client();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPurchaseReplayedWithinTheWindowAfterPruningRanHasNoSecondEffect() throws Exception {
        long user = ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
        assertEquals(200, client.say(user, "replay" + user, "/start").status());
        StackClient.Reply funded = client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("50.000000", "e2e funding"),
                Map.of("Idempotency-Key", "e2e-replay-" + user));
        assertTrue(funded.status() / 100 == 2, funded.toString());

        String purchase = StackClient.textUpdate(user, "replay" + user, "en", "/buy 3");
        long updateId = new ObjectMapper().readTree(purchase).path("update_id").asLong();
        assertEquals(200, client.webhook(purchase, stack.webhookSecret()).status());
        await().atMost(WAIT)
                .until(() -> "DELIVERED"
                        .equals(client.ordersOf(user).path(0).path("status").asText()));
        String balance =
                client.adminGet("/admin/users/" + user).json().path("balance").asText();

        long expired = updateId + 1_000_000_000L;
        try (Connection db = connect()) {
            execute(
                    db,
                    "update processed_updates set received_at = now() - interval '47 hours' where update_id = ?",
                    updateId);
            execute(
                    db,
                    "insert into processed_updates (update_id, received_at) values (?, now() - interval '49 hours')",
                    expired);
            // the prune has run once the older claim is gone
            await().atMost(WAIT).until(() -> !claimed(db, expired));
            assertTrue(claimed(db, updateId), "a claim within the replay window survives the prune");
        }

        assertEquals(200, client.webhook(purchase, stack.webhookSecret()).status());

        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(4))
                .until(() -> client.ordersOf(user).size() == 1
                        && giftsTo(user) == 1
                        && balance.equals(client.adminGet("/admin/users/" + user)
                                .json()
                                .path("balance")
                                .asText()));
    }

    private static long giftsTo(long user) {
        return stack.botApi().calls("giftPremiumSubscription").stream()
                .filter(call -> String.valueOf(user).equals(call.params().get("user_id")))
                .count();
    }

    private static Connection connect() throws SQLException {
        StackDatabase database = stack.database();
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private static void execute(Connection db, String sql, long id) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    private static boolean claimed(Connection db, long updateId) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("select 1 from processed_updates where update_id = ?")) {
            statement.setLong(1, updateId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
