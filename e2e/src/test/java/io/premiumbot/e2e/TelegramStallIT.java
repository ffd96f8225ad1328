package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.premiumbot.testkit.FakeBotApi;

/**
 * Issue 22, case 1, played against the packaged services: Telegram accepts connections but answers nothing for a long
 * while (ten times the call timeout here; 100 s was observed against real timeouts of 30 s), then carries out every
 * request it had received, in arrival order. Ten wallet orders placed during the stall must each get exactly one gift
 * and all end DELIVERED afterwards, with no operator action: a request the worker wrote off never reaches Telegram
 * later, and the gifts Telegram made late are settled from getStarTransactions, not read as absent.
 */
class TelegramStallIT {

    private static final int ORDERS = 10;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STALL = CALL_TIMEOUT.multipliedBy(10);
    private static final String GIFT = "giftPremiumSubscription";

    private static Stack stack;
    private static StackClient client;

    @BeforeAll
    static void startStack() {
        Map<String, String> env = new LinkedHashMap<>();
        // the production timings scaled down, so the stall is long compared with them and the test stays short
        env.put("TELEGRAM_TIMEOUT_MILLIS", String.valueOf(CALL_TIMEOUT.toMillis()));
        env.put("TELEGRAM_CONNECT_TIMEOUT", "1S");
        env.put("TELEGRAM_POOL_WAIT", "1S");
        env.put("TELEGRAM_CIRCUIT_OPEN_MILLIS", "2000");
        env.put("WORKER_GIFT_VISIBLE_AFTER", "2S");
        env.put("WORKER_MIN_BACKOFF", "200ms");
        env.put("WORKER_MAX_BACKOFF", "2S");
        env.put("WORKER_UNKNOWN_EVERY", "2s");
        env.put("WORKER_RECONCILE_EVERY", "2s");
        env.put("WORKER_STAR_BALANCE_EVERY", "off");
        env.put("WORKER_WEBHOOK_INFO_EVERY", "off");
        stack = Stack.start(Stack.Options.defaults().withEnv(env).withReadyTimeout(Duration.ofSeconds(180)));
        client = stack.client();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void tenWalletOrdersPlacedWhileTelegramStallsGetOneGiftEachAndAreDeliveredOnceItCatchesUp() {
        FakeBotApi telegram = stack.botApi();
        List<Long> buyers = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            buyers.add(fundedBuyer());
        }

        telegram.stall();
        long stalledAt = System.nanoTime();
        for (long buyer : buyers) {
            assertStatus(200, client.say(buyer, "buyer" + buyer, "/buy 3"));
        }
        // every order's gift reached Telegram and hangs there, unanswered
        await().atMost(STALL)
                .until(() -> buyers.stream().allMatch(buyer -> !giftsTo(buyer).isEmpty()));
        await().atMost(STALL.plusSeconds(5)).until(() -> System.nanoTime() - stalledAt >= STALL.toNanos());
        telegram.catchUp();

        for (long buyer : buyers) {
            awaitDelivered(buyer, Duration.ofSeconds(90));
        }
        // a second gift to anyone would show up within these seconds
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .until(() -> buyers.stream().allMatch(buyer -> giftsTo(buyer).size() == 1));
        for (long buyer : buyers) {
            assertEquals(1, giftsTo(buyer).size(), "gifts to " + buyer);
        }
        assertEquals(ORDERS, telegram.starTransactionCount(), "one premium_purchase per order in the bot's Stars");
    }

    /** A customer who said /start and whose wallet the operator funded with 50 USDT. */
    private static long fundedBuyer() {
        long user = ThreadLocalRandom.current().nextLong(3_000_000_000L, 9_000_000_000L);
        assertStatus(200, client.say(user, "buyer" + user, "/start"));
        StackClient.Reply funded = client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("50.000000", "e2e funding"),
                Map.of("Idempotency-Key", "e2e-stall-fund-" + user));
        assertTrue(funded.status() / 100 == 2, funded.toString());
        return user;
    }

    private static void awaitDelivered(long buyer, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode orders = client.ordersOf(buyer);
                return orders.size() == 1 && "DELIVERED".equals(orderStatus(orders.get(0)));
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "the order of " + buyer + " is not DELIVERED within " + timeout.toSeconds() + " s: "
                            + client.ordersOf(buyer) + "; gifts to them: "
                            + giftsTo(buyer).size()
                            + "; worker log tail:\n"
                            + String.join("\n", stack.worker().tail(40)),
                    e);
        }
    }

    private static String orderStatus(JsonNode listed) {
        return client.adminGet("/admin/orders/" + listed.path("id").asText())
                .json()
                .path("status")
                .asText();
    }

    private static List<FakeBotApi.Call> giftsTo(long user) {
        return stack.botApi().calls(GIFT).stream()
                .filter(call -> String.valueOf(user).equals(call.params().get("user_id")))
                .toList();
    }

    private static void assertStatus(int expected, StackClient.Reply reply) {
        assertEquals(expected, reply.status(), reply::toString);
    }
}
