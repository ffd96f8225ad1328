package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operator console in a real browser against the packaged services: sign in, resolve an unclear delivery,
 * adjust a wallet, create a promo code, preview and send a broadcast, a viewer refused a write, a forged form without the CSRF token refused. Screenshots of the
 * main pages (phone-sized) land in {@code e2e/target/console-screenshots/}.
 */
class ConsoleBrowserIT {

    private static final Path SHOTS =
            Path.of(System.getProperty("premium.projectRoot", ".")).resolve("e2e/target/console-screenshots");
    private static final String ALICE =
            "alice-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String ADAM =
            "adam-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String VERA =
            "vera-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static Stack stack;
    private static StackClient client;
    private static Browser browser;
    private static String console;

    @BeforeAll
    static void start() throws Exception {
        String operators =
                "alice:operator:" + sha256(ALICE) + ",adam:admin:" + sha256(ADAM) + ",vera:viewer:" + sha256(VERA);
        stack = Stack.start(Stack.Options.defaults().withEnv(Map.of("OPERATORS", operators)));
        client = stack.client();
        // localhost: a secure context, so the Secure session cookie works over the test's plain HTTP
        console = "http://localhost:" + stack.apiUri().getPort() + "/console";
        browser = Browser.start(Path.of(System.getProperty("premium.projectRoot", "."))
                .resolve("e2e/target/e2e-logs/chromedriver.log"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static void signIn(String token) {
        browser.open(console + "/login");
        browser.type("#token", token);
        browser.click("#sign-in");
        browser.find("#operator");
    }

    private static void signOut() {
        if (browser.has("#sign-out")) {
            browser.click("#sign-out");
            browser.find("#token");
        }
    }

    @Test
    void anOperatorSignsInAndResolvesAnUnclearDelivery() throws Exception {
        long user = newUser("20.000000");
        String orderId = deliveredOrderOf(user);
        setStatus(orderId, "DELIVERY_UNKNOWN");

        browser.open(console);
        browser.find("#token");
        browser.screenshot(SHOTS.resolve("sign-in.png"));
        signIn(ALICE);
        assertEquals("alice", browser.text("#operator"));
        browser.click("a[href='/console/orders/" + orderId + "']");
        browser.find("#resolve-delivered");
        browser.screenshot(SHOTS.resolve("order-detail.png"));
        browser.click("#resolve-delivered");
        browser.find("#notice");
        assertEquals("DELIVERED", browser.text("#order-status"));
        assertEquals(
                "DELIVERED",
                client.adminGet("/admin/orders/" + orderId)
                        .json()
                        .path("status")
                        .asText());
        JsonNode audit =
                client.adminGet("/admin/audit?target=order:" + orderId).json().path("items");
        assertEquals("alice", audit.path(0).path("operator").asText());
        signOut();
    }

    @Test
    void theAttentionListShowsWhatWaits() throws Exception {
        long user = newUser("20.000000");
        String orderId = deliveredOrderOf(user);
        setStatus(orderId, "FAILED");
        signIn(VERA);
        browser.open(console);
        browser.awaitText("/console/orders/" + orderId);
        browser.screenshot(SHOTS.resolve("attention.png"));
        signOut();
    }

    @Test
    void anAdminAdjustsAWallet() throws Exception {
        long user = newUser("1.000000");
        signIn(ADAM);
        browser.open(console + "/users/" + user);
        browser.type("#adjust-amount", "2.500000");
        browser.type("#adjust-reason", "goodwill from the console");
        browser.screenshot(SHOTS.resolve("wallet.png"));
        browser.click("#adjust");
        browser.find("#notice");
        assertTrue(browser.text("#balance").startsWith("3.500000"), browser.text("#balance"));
        assertEquals(
                "3.500000",
                client.adminGet("/admin/users/" + user).json().path("balance").asText());
        signOut();
    }

    @Test
    void anAdminCreatesAPromoCodeAndACustomerPaysTheDiscountedPrice() throws Exception {
        String code = "E2E" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        signIn(ADAM);
        browser.open(console + "/promo-codes");
        browser.type("#code", code);
        browser.type("#percentOff", "10");
        browser.type("#maxUses", "5");
        browser.click("#create-promo-code");
        browser.find("#notice");
        browser.awaitText(code);

        long user = newUser("20.000000");
        assertEquals(200, client.say(user, "shopper" + user, "/promo " + code).status());
        String orderId = deliveredOrderOf(user);
        assertEquals(
                "12.591000",
                client.adminGet("/admin/orders/" + orderId).json().path("price").asText());
        browser.open(console + "/promo-codes");
        browser.awaitText("1.399000");
        browser.screenshot(SHOTS.resolve("promo-codes.png"));
        browser.open(console + "/orders/" + orderId);
        assertTrue(browser.text("#order-discount").contains("1.399000"), browser.text("#order-discount"));
        signOut();
    }

    @Test
    void anAdminPreviewsAndSendsABroadcastAndWatchesItReachEveryCustomerOnce() throws Exception {
        String news = "E2E news " + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        long operatorChat = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        assertEquals(
                200, client.say(operatorChat, "owner" + operatorChat, "/start").status());
        long[] customers = new long[3];
        for (int i = 0; i < customers.length; i++) {
            customers[i] = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
            assertEquals(
                    200,
                    client.say(customers[i], "reader" + customers[i], "/start").status());
        }
        signIn(ADAM);
        browser.open(console + "/broadcasts");
        browser.type("#text_en", news);
        browser.type("#text_zh", news + " (中文)");
        browser.click("#create-broadcast");
        browser.find("#notice");
        browser.click("#broadcasts a.open");
        browser.find("#audience-count");
        browser.find("#preview-first");
        browser.type("#chatId", String.valueOf(operatorChat));
        browser.click("#preview");
        browser.find("#previewed-at");
        assertEquals(2, messagesTo(operatorChat, news), "one preview per language, in the operator's own chat");

        browser.click("#send-broadcast");
        // the page refreshes itself while the broadcast sends
        Awaitility.await("the broadcast done")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> "DONE"
                        .equals(((JsonNode)
                                        browser.script(
                                                "const s = document.querySelector('#broadcast-status'); return s ? s.dataset.status : null;"))
                                .asText()));
        assertEquals("0", browser.text("#progress-left"));
        assertTrue(
                Integer.parseInt(browser.text("#progress-sent")) >= customers.length, browser.text("#progress-sent"));
        browser.screenshot(SHOTS.resolve("broadcast.png"));
        for (long customer : customers) {
            assertEquals(1, messagesTo(customer, news), "messages to " + customer);
        }
        signOut();
    }

    private static long messagesTo(long chatId, String text) {
        return stack.botApi().calls("sendMessage").stream()
                .filter(call -> call.longParam("chat_id") == chatId
                        && call.params().get("text").startsWith(text))
                .count();
    }

    @Test
    void aViewerIsRefusedAWrite() throws Exception {
        long user = newUser("1.000000");
        signIn(VERA);
        browser.open(console + "/users/" + user);
        assertFalse(browser.has("#adjust-form"), "a viewer is not offered the form");
        // the form a viewer isn't shown, sent anyway with her own valid CSRF token
        submitForm("/console/users/" + user + "/adjust", true, "amount", "100", "reason", "mine now", "key", "v1");
        browser.awaitText("needs admin");
        assertEquals(
                "1.000000",
                client.adminGet("/admin/users/" + user).json().path("balance").asText());
        browser.open(console);
        signOut();
    }

    @Test
    void aForgedFormWithoutTheCsrfTokenIsRefused() throws Exception {
        long user = newUser("1.000000");
        signIn(ADAM);
        browser.open(console + "/users/" + user);
        browser.find("#adjust-form");
        submitForm("/console/users/" + user + "/adjust", false, "amount", "100", "reason", "forged", "key", "f1");
        browser.awaitText("CSRF");
        assertEquals(
                "1.000000",
                client.adminGet("/admin/users/" + user).json().path("balance").asText());
        browser.open(console);
        signOut();
    }

    /** Builds and submits a form in the page, as another site's page would; with or without the session's CSRF token. */
    private static void submitForm(String action, boolean withCsrf, String... fields) {
        browser.script("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                const csrf = document.querySelector('input[name=_csrf]');
                const add = (name, value) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = name; i.value = value; form.appendChild(i); };
                if (arguments[1] === 'true') { add('_csrf', csrf.value); }
                for (let i = 2; i + 1 < arguments.length; i += 2) { add(arguments[i], arguments[i + 1]); }
                document.body.appendChild(form);
                form.submit();""", join(action, String.valueOf(withCsrf), fields));
    }

    private static Object[] join(String first, String second, String[] rest) {
        Object[] all = new Object[rest.length + 2];
        all[0] = first;
        all[1] = second;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }

    private static long newUser(String balance) {
        long user = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        assertEquals(200, client.say(user, "shopper" + user, "/start").status());
        StackClient.Reply funded = client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment(balance, "e2e funding"),
                Map.of("Idempotency-Key", "fund-" + user));
        assertEquals(201, funded.status(), funded.toString());
        return user;
    }

    private static String deliveredOrderOf(long user) {
        assertEquals(200, client.say(user, "shopper" + user, "/buy 3").status());
        return Awaitility.await("a delivered order of " + user)
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> client.ordersOf(user).path(0),
                        order -> order.path("status").asText().equals("DELIVERED"))
                .path("id")
                .asText();
    }

    /** What the worker would leave behind (its own tests cover how); the browser test is about the operator's part. */
    private static void setStatus(String orderId, String status) throws Exception {
        StackDatabase db = stack.database();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement update = connection.prepareStatement("update orders set status = ? where id = ?")) {
            update.setString(1, status);
            update.setString(2, orderId);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
