package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.premiumbot.testkit.FakeBotApi;

/**
 * The packaged services together, black box: Telegram updates in through the webhook, the operator through the admin
 * API, gifts out to the fake Bot API. Fails (never skips) when the service jars are missing.
 */
class EndToEndIT {

    private static Stack stack;
    private static StackClient client;

    @BeforeAll
    static void startStack() {
        stack = Stack.start(Stack.Options.defaults());
        client = stack.client();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void walletPurchaseIsDeliveredAsExactlyOneGift() throws InterruptedException {
        long user = newUserId();

        assertStatus(200, client.say(user, "buyer" + user, "/start"));
        JsonNode registered = client.adminGet("/admin/users/" + user).json();
        assertEquals(String.valueOf(user), registered.path("telegramId").asText());
        assertEquals("0.000000", registered.path("balance").asText());

        StackClient.Reply funded = client.adminPost("/admin/users/" + user + "/adjustments",
                StackClient.adjustment("50.000000", "e2e funding"), Map.of("Idempotency-Key", "e2e-fund-" + user));
        assertTrue(funded.status() / 100 == 2, funded.toString());
        assertEquals("50.000000", client.adminGet("/admin/users/" + user).json().path("balance").asText());

        assertStatus(200, client.say(user, "buyer" + user, "/buy 3"));
        JsonNode order = awaitStatus(user, "DELIVERED", Duration.ofSeconds(45));

        assertEquals(String.valueOf(user), order.path("buyerId").asText());
        assertEquals(String.valueOf(user), order.path("recipientId").asText());
        assertEquals(3, order.path("months").asInt());
        Thread.sleep(1_000); // a duplicate delivery would show up here
        List<FakeBotApi.Call> gifts = giftsTo(user);
        assertEquals(1, gifts.size(), "gifts to " + user + ": " + gifts);
        assertEquals("3", gifts.get(0).params().get("month_count"));
        assertEquals("1000", gifts.get(0).params().get("star_count"));
        BigDecimal expectedBalance = new BigDecimal("50.000000").subtract(new BigDecimal(order.path("price").asText()));
        assertEquals(expectedBalance.toPlainString(), client.adminGet("/admin/users/" + user).json().path("balance").asText());
    }

    @Test
    void webhookWithWrongSecretIsRejectedAndChangesNothing() {
        long user = newUserId();

        StackClient.Reply reply = client.webhook(StackClient.textUpdate(user, "mallory", "en", "/start"), "not-the-secret");

        assertStatus(401, reply);
        assertStatus(404, client.adminGet("/admin/users/" + user));
    }

    @Test
    void webhookWithoutSecretIsRejected() {
        StackClient.Reply reply = client.webhook(StackClient.textUpdate(newUserId(), "mallory", "en", "/start"), null);

        assertStatus(401, reply);
    }

    @Test
    void operatorApiWithoutTokenIsRejected() {
        long user = newUserId();
        assertStatus(200, client.say(user, "victim" + user, "/start"));

        assertStatus(401, client.adminGetAnonymous("/admin/users/" + user));
        assertStatus(401, client.adminPostAnonymous("/admin/users/" + user + "/adjustments",
                StackClient.adjustment("1000.000000", "theft")));
        assertEquals("0.000000", client.adminGet("/admin/users/" + user).json().path("balance").asText());
    }

    private static void assertStatus(int expected, StackClient.Reply reply) {
        assertEquals(expected, reply.status(), reply::toString);
    }

    private static JsonNode awaitStatus(long user, String status, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = client.ordersOf(user);
            if (items.size() == 1) {
                last = client.adminGet("/admin/orders/" + items.get(0).path("id").asText()).json();
                if (status.equals(last.path("status").asText())) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + status + " order for " + user + " within " + timeout.toSeconds() + " s; last: "
                + last + "; worker log tail:\n" + String.join("\n", stack.worker().tail(30)));
    }

    private static List<FakeBotApi.Call> giftsTo(long user) {
        return stack.botApi().calls("giftPremiumSubscription").stream()
                .filter(call -> String.valueOf(user).equals(call.params().get("user_id")))
                .toList();
    }

    /** Each test its own Telegram user, so tests don't share state. */
    private static long newUserId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
    }
}
