package io.premiumbot.e2e;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

import io.premiumbot.testkit.FakeBotApi;

/**
 * The run command: the whole backend on this machine with a stand-in for the Telegram Bot API, one demo order walked
 * through step by step, then the stack stays up for exploring until Ctrl-C.
 */
public final class Demo {

    private static final long DEMO_USER = 111;
    private static final String DEMO_BOT_TOKEN = "100001:demo-bot-token";
    private static final String DEMO_WEBHOOK_SECRET = "demo-webhook-secret";
    private static final String DEMO_ADMIN_TOKEN = "demo-admin-token";

    private Demo() {}

    public static void main(String[] args) throws InterruptedException {
        FakeBotApi botApi = FakeBotApi.start(DEMO_BOT_TOKEN);
        Stack.Options options = Stack.Options.defaults()
                .withBotApi(botApi, DEMO_BOT_TOKEN)
                .withSecrets(DEMO_WEBHOOK_SECRET, DEMO_ADMIN_TOKEN)
                .withPorts(8080, 8081)
                .withLogDir(Stack.defaultProjectRoot().resolve("e2e/target/demo-logs"));
        say("Bringing up the stack (PostgreSQL, Redis, fake Telegram Bot API, api-service, worker-service)");
        Stack stack;
        try {
            stack = Stack.start(options);
        } catch (RuntimeException e) {
            botApi.close();
            System.err.println("The stack did not come up: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stack.close();
                            } catch (RuntimeException e) {
                                System.err.println("Stopping did not go cleanly: " + e.getMessage()
                                        + (e.getCause() == null ? "" : ": " + e.getCause()));
                            }
                            botApi.close();
                            stopped.countDown();
                        },
                        "demo-shutdown"));
        try {
            walkThroughOneOrder(stack);
        } catch (RuntimeException e) {
            System.err.println("The demo order did not go through: " + e.getMessage());
            System.err.println("Service logs: " + stack.api().logFile() + ", "
                    + stack.worker().logFile());
            System.exit(1);
        }
        printWhereThingsAre(stack);
        stopped.await();
    }

    private static void walkThroughOneOrder(Stack stack) {
        StackClient client = stack.client();
        String user = "alice";

        step(1, "Telegram delivers \"/start\" from @" + user + " (id " + DEMO_USER + ") to the webhook");
        expectOk(client.say(DEMO_USER, user, "/start"));

        step(2, "The operator funds the wallet with 50 USDT");
        expectOk(client.adminPost(
                "/admin/users/" + DEMO_USER + "/adjustments",
                StackClient.adjustment("50.000000", "demo funding"),
                Map.of("Idempotency-Key", "demo-funding-" + Instant.now().toEpochMilli())));
        expectOk(client.adminGet("/admin/users/" + DEMO_USER));

        step(3, "@" + user + " types \"/buy 3\": three months of Premium for themself, paid from the wallet");
        expectOk(client.say(DEMO_USER, user, "/buy 3"));

        step(4, "The worker delivers the order; watching its status");
        JsonNode order = awaitDelivered(client, Duration.ofSeconds(60));
        System.out.println("    order " + order.path("id").asText() + ": "
                + order.path("months").asText() + " months for "
                + order.path("price").asText() + " USDT is "
                + order.path("status").asText());
        show(client.adminGet("/admin/users/" + DEMO_USER));

        step(5, "What the (fake) Telegram Bot API received");
        for (FakeBotApi.Call call : stack.botApi().calls("giftPremiumSubscription")) {
            System.out.println("    giftPremiumSubscription " + call.params() + " at " + call.at());
        }
        System.out.println("    remaining Stars of the bot: " + stack.botApi().starBalance());
    }

    private static JsonNode awaitDelivered(StackClient client, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String lastStatus = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = client.ordersOf(DEMO_USER);
            if (items.size() > 0) {
                JsonNode order = client.adminGet(
                                "/admin/orders/" + items.get(0).path("id").asText())
                        .json();
                String status = order.path("status").asText();
                if (!status.equals(lastStatus)) {
                    System.out.println(
                            "    " + Instant.now() + "  " + order.path("id").asText() + " -> " + status);
                    lastStatus = status;
                }
                if (status.equals("DELIVERED")) {
                    return order;
                }
            }
            pause();
        }
        throw new IllegalStateException("no DELIVERED order for user " + DEMO_USER + " within " + timeout.toSeconds()
                + " s (last status: " + (lastStatus.isEmpty() ? "no order" : lastStatus) + ")");
    }

    private static void printWhereThingsAre(Stack stack) {
        URI api = stack.apiUri();
        URI worker = stack.workerUri();
        System.out.println();
        System.out.println("The stack stays up; Ctrl-C stops it and drops the demo database.");
        System.out.println("  webhook            POST " + api.resolve("/telegram/webhook")
                + "   header X-Telegram-Bot-Api-Secret-Token: " + DEMO_WEBHOOK_SECRET);
        System.out.println("  operator API       " + api.resolve("/admin/orders?user=" + DEMO_USER)
                + "   header Authorization: Bearer " + DEMO_ADMIN_TOKEN);
        System.out.println("  OpenAPI            " + api.resolve("/q/openapi"));
        System.out.println("  health             " + api.resolve("/q/health") + "   " + worker.resolve("/q/health"));
        System.out.println("  metrics            " + api.resolve("/q/metrics") + "   " + worker.resolve("/q/metrics"));
        System.out.println(
                "  fake Bot API       " + stack.botApi().baseUrl() + "   (demo bot token " + DEMO_BOT_TOKEN + ")");
        System.out.println("  database           " + stack.database().url() + " as "
                + stack.database().user() + (stack.database().isEmbedded() ? " (embedded PostgreSQL)" : ""));
        System.out.println("  redis              " + stack.redis().describe());
        System.out.println("  logs               " + stack.api().logFile() + "   "
                + stack.worker().logFile());
        System.out.println("Try: curl -s -H 'Authorization: Bearer " + DEMO_ADMIN_TOKEN + "' "
                + api.resolve("/admin/users/" + DEMO_USER));
    }

    private static void step(int number, String what) {
        System.out.println();
        System.out.println(number + ". " + what);
    }

    private static void show(StackClient.Reply reply) {
        System.out.println("    <- " + reply.status() + (reply.body().isBlank() ? "" : " " + reply.body()));
    }

    /** Shows the answer; a non-2xx one ends the walk-through, since every later step builds on it. */
    private static void expectOk(StackClient.Reply reply) {
        show(reply);
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException(reply.request() + " answered " + reply.status());
        }
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
