package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Prometheus alert rules are valid, and each alert fires (and stays quiet) as its unit test says, by
 * promtool itself. promtool comes with the Debian package {@code prometheus}, which deploy/local/services.sh
 * (run by test.sh) installs: without it these tests fail rather than skip.
 */
class AlertRulesTest {

    private static final Path RULES_DIR = Repo.ROOT.resolve("deploy/prometheus/rules");
    private static final Path RULES = RULES_DIR.resolve("premium.rules.yml");
    private static final Path RULE_TESTS = RULES_DIR.resolve("premium.rules.test.yml");

    record Run(int exit, String output) {}

    private static Run promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is not installed: run deploy/local/services.sh (Debian package prometheus)", e);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        return new Run(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Run run = promtool(RULES_DIR, "check", "rules", RULES.getFileName().toString());
        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void everyAlertBehavesAsItsUnitTestSays() throws Exception {
        Run run = promtool(RULES_DIR, "test", "rules", RULE_TESTS.getFileName().toString());
        assertEquals(0, run.exit(), run.output());
    }

    @Test
    void promtoolRejectsABrokenRule(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(premium_delivery_jobs_total[5m]) >
                """);
        Run run = promtool(dir, "check", "rules", "broken.yml");
        assertNotEquals(0, run.exit(), run.output());
    }

    @Test
    void everyAlertHasAUnitTest() {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : Yaml.single(RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.add(rule.get("alert").asText());
                }
            }
        }
        Set<String> tested = new TreeSet<>();
        for (JsonNode test : Yaml.single(RULE_TESTS).path("tests")) {
            for (JsonNode alertTest : test.path("alert_rule_test")) {
                if (!alertTest.path("exp_alerts").isEmpty()) {
                    tested.add(alertTest.path("alertname").asText());
                }
            }
        }
        assertTrue(alerts.size() >= 10, "alerts: " + alerts);
        assertEquals(alerts, tested, "every alert has a unit test in which it fires");
    }
}
