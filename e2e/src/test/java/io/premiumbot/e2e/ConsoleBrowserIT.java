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
 * adjust a wallet, a viewer refused a write, a forged form without the CSRF token refused, a month of sales drawn as
 * charts. Screenshots of the
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
        // a Star at 0.012 USD: the sales page's margins for the shop's default prices
        stack = Stack.start(
                Stack.Options.defaults().withEnv(Map.of("OPERATORS", operators, "SALES_USD_PER_STAR", "0.012")));
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
        assertEquals("Delivered", browser.text("#order-status"));
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

    /**
     * A month of sales seeded into PostgreSQL (both currencies, every plan, a promo discount, a refund, confirmations that
     * didn't buy): the sales page draws its charts, and its screenshot is the one committed as docs/console-sales.png.
     */
    @Test
    void theSalesPageDrawsAMonthOfSalesAsCharts() throws Exception {
        long buyer = newUser("1.000000");
        seedMonthOfSales(buyer);
        signIn(VERA);
        browser.resize(1100, 2700);
        try {
            browser.open(console + "/sales?days=30");
            for (String chart : new String[] {
                "chart-orders",
                "chart-usdt",
                "chart-stars",
                "chart-gifts",
                "chart-margin",
                "chart-costs",
                "chart-funnel"
            }) {
                browser.find("#" + chart + " svg rect");
            }
            assertTrue(Long.parseLong(browser.text("#figure-orders")) >= 40, browser.text("#figure-orders"));
            assertTrue(
                    new java.math.BigDecimal(browser.text("#figure-promo")).signum() > 0,
                    browser.text("#figure-promo"));
            assertTrue(
                    new java.math.BigDecimal(browser.text("#figure-referrals"))
                                    .compareTo(new java.math.BigDecimal("2.798"))
                            >= 0,
                    browser.text("#figure-referrals"));
            assertTrue(browser.has("#chart-orders svg rect[fill='#f0b429']"), "Stars orders are drawn in their colour");
            browser.screenshot(SHOTS.resolve("sales.png"));
            browser.click("a[href='/console/sales?days=7']");
            browser.find("a.on[href='/console/sales?days=7']");
        } finally {
            browser.resize(412, 915);
        }
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

    /** Orders paid (and most delivered) over the last 30 days, a few confirmations shown per day that some bought. */
    private static void seedMonthOfSales(long buyer) throws Exception {
        StackDatabase db = stack.database();
        int[] months = {3, 6, 12};
        int[] stars = {1000, 1500, 2500};
        long[] prices = {13_990_000, 18_990_000, 31_990_000};
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement confirmation = connection.prepareStatement("""
                        insert into purchase_confirmations (buyer_id, recipient_id, months, price_micros, created_at,
                                                            expires_at)
                        values (?, ?, ?, ?, now() - make_interval(days => ?, hours => 2),
                                now() - make_interval(days => ?, hours => 1))
                        returning id""");
                PreparedStatement order = connection.prepareStatement("""
                        insert into orders (id, buyer_id, recipient_id, months, star_count, price_micros, pay_method,
                                            status, created_at, updated_at, paid_at, delivered_at, promo_code_id,
                                            discount_micros, discount_stars, confirmation_id)
                        values (?, ?, ?, ?, ?, ?, ?, ?, now() - make_interval(days => ?, hours => 1),
                                now() - make_interval(days => ?), now() - make_interval(days => ?),
                                case when ? = 'DELIVERED' then now() - make_interval(days => ?) end, ?, ?, ?, ?)""")) {
            long promo = promoCode(connection);
            for (int day = 0; day < 30; day++) {
                for (int n = 0; n < 1 + (day * 7) % 4; n++) {
                    int plan = (day + n) % 3;
                    boolean inStars = (day + n) % 4 == 0;
                    String status = n == 2 && day % 5 == 0 ? "REFUNDED" : day == 0 && n == 0 ? "PAID" : "DELIVERED";
                    confirmation.setLong(1, buyer);
                    confirmation.setLong(2, buyer);
                    confirmation.setInt(3, months[plan]);
                    confirmation.setLong(4, prices[plan]);
                    confirmation.setInt(5, day);
                    confirmation.setInt(6, day);
                    long shown;
                    try (var rows = confirmation.executeQuery()) {
                        rows.next();
                        shown = rows.getLong(1);
                    }
                    if (n == 1 && day % 3 == 0) {
                        continue; // shown, not bought
                    }
                    int i = 1;
                    // every fifth order with a 10 % promo code: off the USDT price, or off the Stars (rounded up)
                    boolean discounted = (day + n) % 5 == 2;
                    long discount = discounted && !inStars ? prices[plan] / 10 : 0;
                    int discountStars = discounted && inStars ? stars[plan] / 10 : 0;
                    order.setString(i++, orderId());
                    order.setLong(i++, buyer);
                    order.setLong(i++, buyer);
                    order.setInt(i++, months[plan]);
                    order.setInt(i++, stars[plan]);
                    order.setLong(i++, prices[plan] - discount);
                    order.setString(i++, inStars ? "STARS" : "WALLET");
                    order.setString(i++, status);
                    order.setInt(i++, day);
                    order.setInt(i++, day);
                    order.setInt(i++, day);
                    order.setString(i++, status);
                    order.setInt(i++, day);
                    if (discounted) {
                        order.setLong(i++, promo);
                    } else {
                        order.setNull(i++, java.sql.Types.BIGINT);
                    }
                    order.setLong(i++, discount);
                    order.setInt(i++, discountStars);
                    order.setLong(i, shown);
                    order.executeUpdate();
                }
            }
            referralCredit(connection, buyer, 2_798_000);
        }
    }

    private static long promoCode(Connection connection) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                        insert into promo_codes (code, percent_off, months, created_by)
                        values (?, 10, '{3,6,12}', 'e2e') returning id""")) {
            insert.setString(1, "SALES" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
            try (var rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A referral reward booked as the worker books it: the referrer's balance and its ledger entry together. */
    private static void referralCredit(Connection connection, long referrer, long micros) throws Exception {
        connection.setAutoCommit(false);
        try (PreparedStatement credit = connection.prepareStatement("""
                        with moved as (update users set balance_micros = balance_micros + ? where telegram_id = ?
                                       returning balance_micros)
                        insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference,
                                                    idempotency_key)
                        select ?, ?, balance_micros, 'REFERRAL', 'e2e', 'referral-e2e:' || ? from moved""")) {
            credit.setLong(1, micros);
            credit.setLong(2, referrer);
            credit.setLong(3, referrer);
            credit.setLong(4, micros);
            credit.setLong(5, referrer);
            credit.executeUpdate();
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A fresh well-formed order id: 8 of the letters and digits order ids use. */
    private static String orderId() {
        String alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
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
