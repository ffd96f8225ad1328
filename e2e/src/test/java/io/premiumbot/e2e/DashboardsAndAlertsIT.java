package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.premiumbot.testkit.FakeBotApi;
import io.premiumbot.testkit.FakeTronGrid;

/**
 * A real Prometheus (Debian's server, on loopback, a temp TSDB) scrapes both packaged services with the repo's own
 * prometheus.yml and rule file while orders go through every ending an SRE watches: delivered after a Telegram 500,
 * refused and refunded, dead after its attempts, and DELIVERY_UNKNOWN; a USDT transfer that matches no request arrives
 * through the (fake) TronGrid, Telegram's getWebhookInfo reports a recent failed delivery to the webhook, and a
 * chargeback nobody acknowledged sits among the imported Star transactions. Then
 * every dashboard panel's query must return data and every alert rule must evaluate, the ones this traffic should
 * trip tripping and the others quiet.
 */
class DashboardsAndAlertsIT {

    /** Grafana's interval variables, as Grafana would fill them for a short range. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval",
            "1m",
            "${__rate_interval}",
            "1m",
            "$__interval",
            "15s",
            "${__interval}",
            "15s",
            "$__range",
            "5m",
            "${__range}",
            "5m");
    /**
     * Tripped by the traffic below: a refund, an unknown and a dead job among five, one dead letter, three 500s, one of
     * the two deliveries seconds late (its 500 is ambiguous: it waits to read the Star transactions before it sends
     * again, so the p99 of two is above 1 s), an unmatched transfer, Telegram's report of a failed webhook delivery a
     * moment ago.
     */
    private static final Set<String> FIRING = Set.of(
            "DeliveriesFailing",
            "DeadLetters",
            "DeliveryUnknownWaiting",
            "TelegramUnavailable",
            "DeliveryLatencyHigh",
            "UnmatchedPaymentsWaiting",
            "TelegramWebhookErrors",
            "StarsUnexplainedDeduction");
    /** Quiet on that traffic. */
    private static final Set<String> QUIET = Set.of(
            "DeliveryQueueGrowing",
            "DeliveriesPausedForStars",
            "StarsBalanceLow",
            "StarsSoldOut",
            "StarsRunwayShort",
            "DeadLettersGrowing",
            "LedgerDrift",
            "HttpServerErrors",
            "ServiceDown",
            "Trc20PollerStalled",
            "Trc20PollsFailing",
            "PayAmountsRunningOut",
            "StarRefundsFailing",
            "TelegramWebhookBacklog",
            "TelegramGiftsCircuitOpen",
            "ProcessedUpdatesNotPruned",
            "StarsUnexplainedIncome");

    private static final String RECEIVE_ADDRESS = "TPrometheusReceive1111111111111111";
    /** Evaluated, its state not asserted: a cold JVM on a shared 2-core machine may well miss a 10 ms p99. */
    private static final Set<String> MACHINE_DEPENDENT = Set.of("WebhookLatencySlo");

    private static Stack stack;
    private static LocalPrometheus prometheus;
    private static FakeTronGrid tronGrid;

    @BeforeAll
    static void scrapeOrdersEndingEveryWay() throws IOException, SQLException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WORKER_MAX_ATTEMPTS", "2");
        // a 500 is ambiguous: the worker reads the Star transactions after this lag before it sends again
        env.put("WORKER_GIFT_VISIBLE_AFTER", "1S");
        env.put("WORKER_MIN_BACKOFF", "200ms");
        env.put("WORKER_MAX_BACKOFF", "500ms");
        env.put("TELEGRAM_TIMEOUT_MILLIS", "3000");
        // the unknown order stays unknown: nothing settles it behind the test's back
        env.put("WORKER_UNKNOWN_EVERY", "off");
        env.put("WORKER_RECONCILE_EVERY", "off");
        env.put("WORKER_DATABASE_METRICS_EVERY", "1s");
        env.put("WORKER_QUEUE_METRICS_EVERY", "1s");
        env.put("WORKER_STAR_BALANCE_EVERY", "2s");
        env.put("WORKER_WEBHOOK_INFO_EVERY", "1s");
        // the treasury's scheduled read would race the settlement's scripted getStarTransactions failure below
        env.put("WORKER_STAR_IMPORT_EVERY", "off");
        tronGrid = FakeTronGrid.start();
        env.put("TRON_API_URL", tronGrid.baseUrl());
        env.put("TRON_RECEIVE_ADDRESS", RECEIVE_ADDRESS);
        env.put("WORKER_TRC20_EVERY", "1s");
        stack = Stack.start(Stack.Options.defaults().withEnv(env).withReadyTimeout(Duration.ofSeconds(180)));
        FakeBotApi botApi = stack.botApi();
        botApi.pendingUpdates(3)
                .webhookDeliveryFailed(
                        Instant.now().minusSeconds(20), "Wrong response from the webhook: 500 Internal Server Error");
        // no payment request holds 3.141592 USDT: the transfer waits for the operator as unmatched
        FakeTronGrid.Transfer unmatched = FakeTronGrid.Transfer.usdt(
                "TPayerWithoutRequest11111111111111",
                RECEIVE_ADDRESS,
                3_141_592L,
                Instant.now().minusSeconds(30));
        tronGrid.add(unmatched);
        prometheus = LocalPrometheus.start(
                deploy(),
                Map.of(
                        "api-service", "127.0.0.1:" + stack.apiUri().getPort(),
                        "worker-service", "127.0.0.1:" + stack.workerUri().getPort()));
        await("both services scraped")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> prometheus
                                .query("sum(up)")
                                .path("data")
                                .path("result")
                                .path(0)
                                .path("value")
                                .path(1)
                                .asText(),
                        "2"::equals);

        long base = 6_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        long retried = base, refused = base + 1, dead = base + 2, unknown = base + 3, plain = base + 4;
        botApi.failNextFor("giftPremiumSubscription", retried, 500, "Internal Server Error");
        botApi.failNextFor("giftPremiumSubscription", refused, 400, "Bad Request: user not found");
        botApi.failNextFor("giftPremiumSubscription", dead, 500, "Internal Server Error");
        botApi.failNextFor("giftPremiumSubscription", dead, 500, "Internal Server Error");
        StackClient client = stack.client();
        for (long user : List.of(retried, refused, dead, plain)) {
            buy(client, user);
        }
        Map.of(retried, "DELIVERED", refused, "REFUNDED", plain, "DELIVERED")
                .forEach((user, status) -> awaitOrder(client, user, status));
        String deadOrder = client.ordersOf(dead).path(0).path("id").asText();
        await("the dead letter")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> client.adminGet("/admin/jobs/dead").body().contains(deadOrder));
        // a gift left unanswered is ambiguous: it is DELIVERY_UNKNOWN only when the Star transactions can't tell
        // either.
        // Last, so that no other order's ambiguous answer reads the Star transactions in its place.
        botApi.hangNextFor("giftPremiumSubscription", unknown, Duration.ofSeconds(10));
        botApi.failNext("getStarTransactions", 500, "Internal Server Error");
        buy(client, unknown);
        awaitOrder(client, unknown, "DELIVERY_UNKNOWN");
        await("the unmatched transfer")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> client.adminGet("/admin/payments/unmatched").body().contains(unmatched.transactionId()));
        importedChargeback();
    }

    /** A chargeback as the worker's import stores it (its tests cover the import); the gauges read it within 1 s. */
    private static void importedChargeback() throws SQLException {
        var db = stack.database();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement insert = connection.createStatement()) {
            insert.executeUpdate("""
                    insert into star_transactions (transaction_id, direction, stars, partner, transaction_type,
                        partner_user_id, made_at, position, class)
                    values ('charged-back-in-prometheus', 'OUT', 1000, 'user', 'invoice_payment', 42, now(), 0, 'CHARGEBACK')""");
        }
    }

    private static void buy(StackClient client, long user) {
        client.say(user, "sre" + user, "/start");
        client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("20.000000", "prometheus"),
                Map.of("Idempotency-Key", "prometheus-" + user));
        client.say(user, "sre" + user, "/buy 3");
    }

    private static void awaitOrder(StackClient client, long user, String status) {
        await("order of " + user + " " + status)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> client.ordersOf(user).path(0).path("status").asText(), status::equals);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (tronGrid != null) {
            tronGrid.close();
        }
    }

    @Test
    void everyDashboardPanelQueryReturnsData() throws IOException {
        Map<String, String> queries = panelQueries();
        assertTrue(queries.size() >= 20, "dashboard queries found: " + queries.keySet());
        Map<String, String> failures = new TreeMap<>();
        // rates need two scrapes after the last order settled; gauges refresh every second
        awaitOrReport(() -> await("every panel's query answers with data")
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    failures.clear();
                    queries.forEach((panel, promql) -> {
                        String problem = problem(prometheus.query(promql));
                        if (problem != null) {
                            failures.put(panel, problem + " — " + promql);
                        }
                    });
                    return failures.isEmpty();
                }));
        assertEquals(Map.of(), failures, "panels whose query fails or returns nothing");
    }

    @Test
    void everyAlertRuleLoadsAndEvaluatesWithoutError() {
        Map<String, String> unhealthy = new TreeMap<>();
        Set<String> loaded = new TreeSet<>();
        await("every rule evaluated at least once")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    unhealthy.clear();
                    loaded.clear();
                    for (JsonNode group : prometheus.rules().path("data").path("groups")) {
                        for (JsonNode rule : group.path("rules")) {
                            loaded.add(rule.path("name").asText());
                            if (!"ok".equals(rule.path("health").asText())) {
                                unhealthy.put(
                                        rule.path("name").asText(),
                                        rule.path("health").asText() + " "
                                                + rule.path("lastError").asText());
                            }
                        }
                    }
                    return unhealthy.isEmpty() && !loaded.isEmpty();
                });
        assertEquals(Map.of(), unhealthy, "rules Prometheus could not evaluate");
        Set<String> classified = new TreeSet<>(FIRING);
        classified.addAll(QUIET);
        classified.addAll(MACHINE_DEPENDENT);
        assertEquals(
                classified,
                loaded,
                "every rule of premium.rules.yml is said here to fire or stay quiet on this traffic");
    }

    @Test
    void theAlertsThisTrafficShouldTripFireAndTheOthersStayQuiet() throws IOException {
        Map<String, String> rules = ruleExpressions();
        Map<String, String> wrong = new TreeMap<>();
        awaitOrReport(() -> await("alert expressions settle")
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    wrong.clear();
                    rules.forEach((name, promql) -> {
                        JsonNode answer = prometheus.query(promql);
                        if (!"success".equals(answer.path("status").asText())) {
                            wrong.put(
                                    name, "query error: " + answer.path("error").asText());
                        } else if (FIRING.contains(name)
                                && answer.path("data").path("result").isEmpty()) {
                            wrong.put(name, "should fire on this traffic but its expression is empty");
                        } else if (QUIET.contains(name)
                                && !answer.path("data").path("result").isEmpty()) {
                            wrong.put(
                                    name,
                                    "should stay quiet but returns "
                                            + answer.path("data").path("result"));
                        }
                    });
                    return wrong.isEmpty();
                }));
        assertEquals(Map.of(), wrong, "alert expressions on this traffic");
    }

    /** Waits; on a timeout the caller's assertion reports what was still wrong, by name. */
    private static void awaitOrReport(Runnable waiting) {
        try {
            waiting.run();
        } catch (org.awaitility.core.ConditionTimeoutException stillWrong) {
            System.err.println("[prometheus] " + stillWrong.getMessage());
        }
    }

    /** Why a query's answer is no data for a panel, or {@code null} when it has some. */
    private static String problem(JsonNode answer) {
        if (!"success".equals(answer.path("status").asText())) {
            return "query error: " + answer.path("errorType").asText() + " "
                    + answer.path("error").asText();
        }
        JsonNode result = answer.path("data").path("result");
        if (result.isEmpty()) {
            return "empty result";
        }
        for (JsonNode series : result) {
            String value = series.path("value").path(1).asText();
            if (!"NaN".equals(value)) {
                return null;
            }
        }
        return "only NaN";
    }

    /** "dashboard.json / panel title [n]" → PromQL with Grafana's variables filled in. */
    private static Map<String, String> panelQueries() throws IOException {
        Map<String, String> queries = new TreeMap<>();
        try (Stream<Path> files = Files.list(deploy().resolve("grafana/dashboards"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                List<JsonNode> panels = new ArrayList<>();
                collectPanels(new ObjectMapper().readTree(file.toFile()).path("panels"), panels);
                for (JsonNode panel : panels) {
                    int n = 0;
                    for (JsonNode target : panel.path("targets")) {
                        String expr = target.path("expr").asText();
                        if (!expr.isBlank()) {
                            queries.put(
                                    file.getFileName() + " / "
                                            + panel.path("title").asText() + " [" + n++ + "]",
                                    withGrafanaVariables(expr));
                        }
                    }
                }
            }
        }
        return queries;
    }

    /** Panels, including those folded inside rows. */
    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    static String withGrafanaVariables(String expr) {
        String filled = expr;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            filled = filled.replace(variable.getKey(), variable.getValue());
        }
        return filled;
    }

    private static Map<String, String> ruleExpressions() throws IOException {
        JsonNode rules = new YAMLMapper()
                .readTree(deploy().resolve("prometheus/rules/premium.rules.yml").toFile());
        Map<String, String> expressions = new TreeMap<>();
        rules.path("groups")
                .forEach(group -> group.path("rules")
                        .forEach(rule -> expressions.put(
                                rule.path("alert").asText(), rule.path("expr").asText())));
        return expressions;
    }

    private static Path deploy() {
        return Path.of(System.getProperty("premium.repo.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("deploy");
    }
}
