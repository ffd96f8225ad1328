package io.premiumbot.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @Test
    void readinessChecksPostgresAndRedis() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"), containsString("Redis")));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void exposesPrometheusMetricsAndOpenApi() {
        // an application request first: HTTP timings appear once one has completed (this test may be the run's first),
        // and /q/ endpoints are not timed
        given().get("/admin/orders").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/admin/orders/{id}"));
    }
}
