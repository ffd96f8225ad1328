package io.premiumbot.api.bot;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(WebhookWarmUpTest.WarmUp.class)
class WebhookWarmUpTest {

    public static class WarmUp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bot.warm-up.updates", "40");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aNewPodIsReadyOnlyOnceItHasAnsweredItsWarmUpUpdates() {
        awaitReady();
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'webhook-warm-up' }.data.answered", is(40));
    }

    @Test
    void theWarmUpLeavesNoUserAndNoClaimedUpdateBehind() {
        awaitReady();
        assertEquals(0L, count("select count(*) from users where telegram_id < 0"));
        assertEquals(0L, count("select count(*) from processed_updates where update_id < 0"));
    }

    private static void awaitReady() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
    }
}
