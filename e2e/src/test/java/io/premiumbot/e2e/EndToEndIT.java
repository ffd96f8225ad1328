package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.TelegramUpdates;

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

        StackClient.Reply funded = client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("50.000000", "e2e funding"),
                Map.of("Idempotency-Key", "e2e-fund-" + user));
        assertTrue(funded.status() / 100 == 2, funded.toString());
        assertEquals(
                "50.000000",
                client.adminGet("/admin/users/" + user).json().path("balance").asText());

        assertStatus(200, client.say(user, "buyer" + user, "/buy 3"));
        JsonNode order = awaitStatus(user, "DELIVERED", Duration.ofSeconds(45));

        assertEquals(String.valueOf(user), order.path("buyerId").asText());
        assertEquals(String.valueOf(user), order.path("recipientId").asText());
        assertEquals(3, order.path("months").asInt());
        // a duplicate delivery would show up within this second
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> giftsTo(user).size() == 1);
        List<FakeBotApi.Call> gifts = giftsTo(user);
        assertEquals(1, gifts.size(), "gifts to " + user + ": " + gifts);
        assertEquals("3", gifts.get(0).params().get("month_count"));
        assertEquals("1000", gifts.get(0).params().get("star_count"));
        BigDecimal expectedBalance = new BigDecimal("50.000000")
                .subtract(new BigDecimal(order.path("price").asText()));
        assertEquals(
                expectedBalance.toPlainString(),
                client.adminGet("/admin/users/" + user).json().path("balance").asText());
    }

    @Test
    void webhookWithWrongSecretIsRejectedAndChangesNothing() {
        long user = newUserId();

        StackClient.Reply reply =
                client.webhook(StackClient.textUpdate(user, "mallory", "en", "/start"), "not-the-secret");

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
        assertStatus(
                401,
                client.adminPostAnonymous(
                        "/admin/users/" + user + "/adjustments", StackClient.adjustment("1000.000000", "theft")));
        assertEquals(
                "0.000000",
                client.adminGet("/admin/users/" + user).json().path("balance").asText());
    }

    @Test
    void aChineseSpeakerBuysForAFriendAndPaysInStarsAndTheGiftIsDelivered() throws InterruptedException {
        long buyer = newUserId();
        long friend = newUserId();
        assertStatus(200, client.say(friend, "friend" + friend, "/start"));
        StackClient.Reply start = client.webhook(
                StackClient.textUpdate(buyer, "buyer" + buyer, "zh-hans", "/start"), stack.webhookSecret());
        assertTrue(start.body().contains("欢迎"), start.toString());

        StackClient.Reply confirmation = client.webhook(callback(buyer, "to:3:" + friend), stack.webhookSecret());
        String payInStars = confirmation
                .json()
                .path("reply_markup")
                .path("inline_keyboard")
                .path(2)
                .path(0)
                .path("callback_data")
                .asText();
        assertTrue(payInStars.startsWith("ps:3:" + friend + ":"), confirmation.toString());
        StackClient.Reply invoice = client.webhook(callback(buyer, payInStars), stack.webhookSecret());
        assertStatus(200, invoice);
        assertEquals("sendInvoice", invoice.json().path("method").asText(), invoice.toString());
        assertEquals("XTR", invoice.json().path("currency").asText());
        assertEquals(1000, invoice.json().path("prices").get(0).path("amount").asInt());
        String payload = invoice.json().path("payload").asText();

        StackClient.Reply checkout = client.webhook(preCheckout(buyer, 1000, payload), stack.webhookSecret());
        assertTrue(checkout.json().path("ok").asBoolean(), checkout.toString());
        StackClient.Reply paid =
                client.webhook(successfulPayment(buyer, 1000, payload, "charge-" + buyer), stack.webhookSecret());
        assertTrue(paid.body().contains("Stars"), paid.toString());

        JsonNode order = awaitStatus(buyer, "DELIVERED", Duration.ofSeconds(45));
        assertEquals("STARS", order.path("payMethod").asText());
        assertEquals(String.valueOf(friend), order.path("recipientId").asText());
        assertEquals(1, giftsTo(friend).size());
    }

    @Test
    void noSecretReachesEitherServicesLog() throws Exception {
        long user = newUserId();
        assertStatus(200, client.say(user, "logged" + user, "/start"));
        client.webhook(StackClient.textUpdate(user, "logged" + user, "en", "/start"), "wrong-" + stack.webhookSecret());
        client.adminGet("/admin/users/" + user + "?password=hunter2-" + user);
        // the log lines of those requests are written asynchronously: the logs stay clean while they arrive
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(this::noLogHoldsASecret);
    }

    private void noLogHoldsASecret() throws java.io.IOException {
        String token = stack.botToken();
        List<String> secrets =
                List.of(token, token.substring(token.indexOf(':') + 1), stack.webhookSecret(), stack.adminToken());
        for (ServiceProcess service : List.of(stack.api(), stack.worker())) {
            String log = java.nio.file.Files.readString(service.logFile());
            assertTrue(
                    log.contains("worker-service") || log.contains("api-service"), "read the log of " + service.name());
            for (String secret : secrets) {
                assertTrue(!log.contains(secret), service.name() + "'s log contains a secret");
            }
        }
    }

    private static String callback(long user, String data) {
        return TelegramUpdates.from(user).firstName("Li").language("zh-hans").callback(data);
    }

    private static String preCheckout(long user, int stars, String payload) {
        return TelegramUpdates.from(user).firstName("Li").language("zh-hans").preCheckout(stars, payload);
    }

    private static String successfulPayment(long user, int stars, String payload, String charge) {
        return TelegramUpdates.from(user).firstName("Li").language("zh-hans").successfulPayment(stars, payload, charge);
    }

    private static void assertStatus(int expected, StackClient.Reply reply) {
        assertEquals(expected, reply.status(), reply::toString);
    }

    private static JsonNode awaitStatus(long user, String status, Duration timeout) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode items = client.ordersOf(user);
                if (items.size() != 1) {
                    return false;
                }
                last.set(client.adminGet(
                                "/admin/orders/" + items.get(0).path("id").asText())
                        .json());
                return status.equals(last.get().path("status").asText());
            });
            return last.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + status + " order for " + user + " within " + timeout.toSeconds() + " s; last: " + last.get()
                            + "; worker log tail:\n"
                            + String.join("\n", stack.worker().tail(30)),
                    e);
        }
    }

    private static List<FakeBotApi.Call> giftsTo(long user) {
        return stack.botApi().calls("giftPremiumSubscription").stream()
                .filter(call -> String.valueOf(user).equals(call.params().get("user_id")))
                .toList();
    }

    /** Each test its own Telegram user, so tests don't share state. */
    private static long newUserId() {
        return ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
    }
}
