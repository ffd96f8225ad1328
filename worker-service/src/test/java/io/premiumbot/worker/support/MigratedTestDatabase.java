package io.premiumbot.worker.support;

import java.util.Map;

import org.flywaydb.core.Flyway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Brings the worker's test database to the current schema before the packaged jar starts. The jar carries no Flyway
 * (api-service is the migrating step), so a build that runs only the packaged-jar tests — the way {@code bench/run.sh}
 * builds and records the AOT cache — has no earlier {@code @QuarkusTest} that migrated it.
 */
public class MigratedTestDatabase implements QuarkusTestResourceLifecycleManager {

    /** The JDBC URL the test profile uses ({@code TEST_WORKER_DB_URL}, as in application.properties). */
    public static String jdbcUrl() {
        String url = System.getenv("TEST_WORKER_DB_URL");
        return "jdbc:" + (url == null || url.isBlank() ? "postgresql://127.0.0.1:5432/premium_worker_test" : url);
    }

    @Override
    public Map<String, String> start() {
        Flyway flyway = Flyway.configure()
                .dataSource(jdbcUrl(), "premium", "premium")
                .locations("classpath:db/migration")
                .cleanDisabled(false)
                .load();
        // a test database may hold a schema another checkout's build migrated (another branch's migrations): start
        // from nothing, as the test profile's clean-at-start does
        flyway.clean();
        flyway.migrate();
        return Map.of();
    }

    @Override
    public void stop() {}
}
