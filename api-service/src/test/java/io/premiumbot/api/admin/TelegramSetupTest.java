package io.premiumbot.api.admin;

import static io.premiumbot.api.Fixtures.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.premiumbot.api.FakeTelegram;
import io.premiumbot.testkit.FakeBotApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** POST /admin/telegram/setup: the webhook and the command menus registered with Telegram, the same every time. */
@QuarkusTest
@QuarkusTestResource(FakeTelegram.class)
class TelegramSetupTest {

    private static final String WEBHOOK_URL = "https://bot.premium.test/telegram/webhook";
    private static final String WEBHOOK_SECRET = "test-webhook-secret";

    @Inject
    Pool pool;

    private static FakeBotApi telegram() {
        return FakeTelegram.api();
    }

    private static io.restassured.response.ValidatableResponse setUp() {
        return operatorNamed(ADAM_TOKEN).post("/admin/telegram/setup").then();
    }

    @Test
    void setupRegistersTheWebhookWithTheSecretAndTheUpdatesTheBotReads() {
        setUp().statusCode(200)
                .body("webhook.url", is(WEBHOOK_URL))
                .body("webhook.maxConnections", is(40))
                .body("webhook.allowedUpdates", contains("message", "callback_query", "pre_checkout_query"))
                .body("webhook.pendingUpdateCount", is(0));

        List<FakeBotApi.Call> calls = telegram().calls("setWebhook");
        FakeBotApi.Call call = calls.get(calls.size() - 1);
        assertEquals(WEBHOOK_URL, call.params().get("url"));
        assertEquals(WEBHOOK_SECRET, call.params().get("secret_token"));
        assertEquals(
                "[\"message\",\"callback_query\",\"pre_checkout_query\"]",
                call.params().get("allowed_updates"));
        assertEquals("40", call.params().get("max_connections"));
        assertFalse(
                call.params().containsKey("drop_pending_updates"), "a setup must not drop the updates Telegram holds");
    }

    @Test
    void setupRegistersTheCommandMenuInEnglishAndChinese() {
        setUp().statusCode(200)
                .body(
                        "menus.find { it.languageCode == null }.commands.command",
                        contains(
                                "start",
                                "buy",
                                "balance",
                                "topup",
                                "orders",
                                "promo",
                                "referrals",
                                "help",
                                "paysupport"))
                .body(
                        "menus.find { it.languageCode == 'zh' }.commands.find { it.command == 'balance' }.description",
                        is("您的钱包"));

        Map<String, String> english = telegram().commands(null);
        Map<String, String> chinese = telegram().commands("zh");
        assertEquals(
                List.of("start", "buy", "balance", "topup", "orders", "promo", "referrals", "help", "paysupport"),
                List.copyOf(english.keySet()));
        assertEquals(english.keySet(), chinese.keySet());
        assertEquals("Your wallet", english.get("balance"));
        assertEquals("您的钱包", chinese.get("balance"));
    }

    @Test
    void settingUpTwiceLeavesTelegramAsOnce() {
        String first = setUp().statusCode(200).extract().asString();
        Map<String, String> english = telegram().commands(null);
        Map<String, String> chinese = telegram().commands("zh");

        String second = setUp().statusCode(200).extract().asString();

        assertEquals(first, second);
        assertEquals(english, telegram().commands(null));
        assertEquals(chinese, telegram().commands("zh"));
    }

    @Test
    void theAnswerNeverContainsTheSecret() {
        String answer = setUp().statusCode(200).extract().asString();
        assertFalse(answer.contains(WEBHOOK_SECRET), answer);
    }

    @Test
    void viewersAndOperatorsMayNotSetUpTheBot() {
        int before = telegram().calls("setWebhook").size();
        operatorNamed(VERA_TOKEN)
                .post("/admin/telegram/setup")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        operatorNamed(ALICE_TOKEN)
                .post("/admin/telegram/setup")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        assertEquals(before, telegram().calls("setWebhook").size());
    }

    @Test
    void aSetupIsInTheAuditLogWithoutTheSecret() {
        setUp().statusCode(200);
        operator()
                .get("/admin/audit?target=telegram:webhook&operator=adam")
                .then()
                .statusCode(200)
                .body("items", not(empty()))
                .body("items[0].action", is("telegram.setup"))
                .body("items[0].details", containsString("url=" + WEBHOOK_URL))
                .body("items[0].details", not(containsString(WEBHOOK_SECRET)));
    }

    @Test
    void aRefusedWebhookIsAnsweredWithTelegramsReason() {
        telegram()
                .failNext(
                        "setWebhook",
                        400,
                        "Bad Request: bad webhook: Failed to resolve host: Name or service not known");
        setUp().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("Failed to resolve host"));
    }

    @Test
    void anUnavailableTelegramIsA503() {
        telegram().failNext("setMyCommands", 502, "Bad Gateway");
        setUp().statusCode(503).contentType("application/problem+json").body("detail", containsString("setMyCommands"));
    }

    @Test
    void theFakeRefusesCommandsTelegramWouldRefuse() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        for (String commands : List.of(
                "[{\"command\":\"Buy\",\"description\":\"x\"}]",
                "[{\"command\":\"" + "a".repeat(33) + "\",\"description\":\"x\"}]",
                "[{\"command\":\"buy\",\"description\":\"\"}]",
                "[{\"command\":\"buy\",\"description\":\"" + "x".repeat(257) + "\"}]")) {
            var response = client.send(
                    java.net.http.HttpRequest.newBuilder(telegram().methodUri("setMyCommands"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"commands\":" + commands + ",\"language_code\":\"de\"}"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, response.statusCode(), commands);
            assertTrue(response.body().contains("BOT_COMMAND"), response.body());
        }
        assertTrue(telegram().commands("de").isEmpty());
    }
}
