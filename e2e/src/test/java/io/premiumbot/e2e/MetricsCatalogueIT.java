package io.premiumbot.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every metric an alert rule or a dashboard panel queries is really exposed by the packaged services: after one
 * order went through a Telegram 500, a retry and a delivery, both /q/metrics are scraped and each metric name
 * found in deploy/'s PromQL must be the name of a sample there (so {@code _bucket}, {@code _count}, {@code _total}
 * are checked exactly as queried).
 */
class MetricsCatalogueIT {

    /** PromQL words that look like metric names but are not. {@code up} is made by Prometheus, not the services. */
    private static final Set<String> NOT_METRICS = Set.of(
            "by",
            "without",
            "and",
            "or",
            "unless",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "le",
            "up");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.\"])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

    private static Stack stack;
    private static String exposed;

    @BeforeAll
    static void deliverOneOrderThroughARetry() throws Exception {
        // a 500 is ambiguous: the worker reads the Star transactions after this lag before it sends again
        stack = Stack.start(Stack.Options.defaults().withEnv(java.util.Map.of("WORKER_GIFT_VISIBLE_AFTER", "1S")));
        StackClient client = stack.client();
        stack.botApi().failNext("giftPremiumSubscription", 500, "Internal Server Error");
        long user = 5_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        client.say(user, "metrics" + user, "/start");
        client.adminPost(
                "/admin/users/" + user + "/adjustments",
                StackClient.adjustment("20.000000", "metrics catalogue"),
                java.util.Map.of("Idempotency-Key", "metrics-" + user));
        client.say(user, "metrics" + user, "/buy 3");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertEquals(
                        "DELIVERED",
                        client.adminGet("/admin/orders?user=" + user)
                                .json()
                                .path("items")
                                .path(0)
                                .path("status")
                                .asText(),
                        "the catalogue's order was delivered"));
        exposed = scrape(stack.apiUri()) + "\n" + scrape(stack.workerUri());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String scrape(URI service) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(service.resolve("/q/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), service + "/q/metrics");
        return response.body();
    }

    private static Set<String> sampleNames(String metrics) {
        Set<String> names = new TreeSet<>();
        metrics.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .forEach(names::add);
        return names;
    }

    /** Metric names in one PromQL expression: label matchers, groupings and strings removed, functions skipped. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\"[^\"]*\"", " ")
                .replaceAll("\\[[^]]*]", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String word = matcher.group(1);
            if (!NOT_METRICS.contains(word) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    private static Path deploy() {
        return Path.of(System.getProperty("premium.repo.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("deploy");
    }

    private static List<String> ruleExpressions() throws IOException {
        JsonNode rules = new YAMLMapper()
                .readTree(deploy().resolve("prometheus/rules/premium.rules.yml").toFile());
        List<String> expressions = new ArrayList<>();
        rules.path("groups")
                .forEach(group -> group.path("rules")
                        .forEach(rule -> expressions.add(rule.path("expr").asText())));
        return expressions;
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (Stream<Path> files = Files.list(deploy().resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                new ObjectMapper()
                        .readTree(file.toFile())
                        .path("panels")
                        .forEach(panel -> panel.path("targets")
                                .forEach(target ->
                                        expressions.add(target.path("expr").asText())));
            }
        }
        return expressions;
    }

    private static void assertAllExposed(List<String> expressions, String where) {
        assertTrue(expressions.size() >= 5, where + " has expressions: " + expressions);
        Set<String> samples = sampleNames(exposed);
        Set<String> missing = new TreeSet<>();
        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            for (String name : metricNames(expression)) {
                queried.add(name);
                if (!samples.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertTrue(queried.size() >= 5, where + " queries metrics: " + queried);
        assertEquals(Set.of(), missing, where + " queries metrics the services don't expose");
    }

    @Test
    void everyMetricAnAlertRuleQueriesIsExposed() throws IOException {
        assertAllExposed(ruleExpressions(), "premium.rules.yml");
    }

    @Test
    void everyMetricADashboardPanelQueriesIsExposed() throws IOException {
        assertAllExposed(dashboardExpressions(), "grafana dashboards");
    }

    @Test
    void theNameParserFindsMetricsAndSkipsPromqlWords() {
        assertEquals(
                Set.of("premium_delivery_job_latency_seconds_bucket"),
                metricNames(
                        "histogram_quantile(0.99, sum by (le) (rate(premium_delivery_job_latency_seconds_bucket{outcome=\"delivered\"}[10m]))) > 1"));
        assertEquals(
                Set.of("premium_ledger_drift_users", "premium_ledger_drift_amount"),
                metricNames("max(premium_ledger_drift_users) > 0 or max(premium_ledger_drift_amount) > 0"));
    }
}
