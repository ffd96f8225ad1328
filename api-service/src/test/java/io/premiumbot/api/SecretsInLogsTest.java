package io.premiumbot.api;

import static io.premiumbot.api.Fixtures.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        operator().get("/admin/users/" + userId + "?marker=" + marker + "&password=hunter2&api_key=k-" + userId).then().statusCode(200);
        given().header("Authorization", "Bearer wrong-" + marker).get("/admin/users/" + userId).then().statusCode(401);
        given().contentType(ContentType.JSON).header("X-Telegram-Bot-Api-Secret-Token", "guess-" + marker)
                .body(textUpdate(nextUpdateId(), userId, null, "en", "/start")).post("/telegram/webhook").then().statusCode(401);

        List<String> lines = awaitLines(marker, 2);
        String log = String.join("\n", lines);
        assertTrue(log.contains("Authorization=Bearer ***"), log);
        assertTrue(log.contains("password=***"), log);
        for (String secret : List.of(ADMIN_TOKEN, WEBHOOK_SECRET, "hunter2", "k-" + userId, "wrong-" + marker, "guess-" + marker)) {
            assertFalse(Files.readString(LOG).contains(secret), "the log contains " + secret);
        }
    }

    /** The access log lines of this test's requests (found by the marker or the user id), once written. */
    private static List<String> awaitLines(String marker, int expected) throws IOException, InterruptedException {
        String userId = marker.substring("masking-".length());
        for (int i = 0; i < 50; i++) {
            if (Files.exists(LOG)) {
                List<String> lines = Files.readAllLines(LOG).stream()
                        .filter(line -> line.contains("access ") && line.contains(userId)).toList();
                if (lines.size() >= expected) {
                    return lines;
                }
            }
            Thread.sleep(100);
        }
        fail("the access log never showed " + expected + " lines for " + marker);
        return List.of();
    }
}
