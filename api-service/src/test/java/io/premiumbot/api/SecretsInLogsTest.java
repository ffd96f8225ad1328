package io.premiumbot.api;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SecretsInLogsTest {

    private static final Path LOG = Path.of("target/test-logs/api-service.log");

    @Test
    void tokensSecretsAndAuthorizationHeadersNeverReachTheLog() throws Exception {
        long userId = newUserId();
        String marker = "masking-" + userId;
        send(userId, "/start");
        operator()
                .get("/admin/users/" + userId + "?marker=" + marker + "&password=hunter2&api_key=k-" + userId)
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer wrong-" + marker)
                .get("/admin/users/" + userId)
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .header("X-Telegram-Bot-Api-Secret-Token", "guess-" + marker)
                .body(textUpdate(nextUpdateId(), userId, null, "en", "/start"))
                .post("/telegram/webhook")
                .then()
                .statusCode(401);

        List<String> lines = awaitLines(marker, 2);
        String log = String.join("\n", lines);
        assertTrue(log.contains("Authorization=Bearer ***"), log);
        assertTrue(log.contains("password=***"), log);
        for (String secret :
                List.of(ADMIN_TOKEN, WEBHOOK_SECRET, "hunter2", "k-" + userId, "wrong-" + marker, "guess-" + marker)) {
            assertFalse(Files.readString(LOG).contains(secret), "the log contains " + secret);
        }
    }

    /** The access log lines of this test's requests (found by the marker or the user id), once written. */
    private static List<String> awaitLines(String marker, int expected) {
        String userId = marker.substring("masking-".length());
        AtomicReference<List<String>> lines = new AtomicReference<>(List.of());
        await().alias("the access log shows " + expected + " lines for " + marker)
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (Files.exists(LOG)) {
                        lines.set(Files.readAllLines(LOG).stream()
                                .filter(line -> line.contains("access ") && line.contains(userId))
                                .toList());
                    }
                    return lines.get().size() >= expected;
                });
        return lines.get();
    }
}
