package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

/** What the stack needs below the services: real PostgreSQL and Redis, local or embedded, and what it creates there. */
class StackServicesIT {

    private final List<String> progress = new ArrayList<>();
    private final Consumer<String> sink = progress::add;

    @Test
    void embeddedPostgresGetsAFreshDatabaseOwnedByALoginRole() throws SQLException {
        StackDatabase.Settings settings =
                StackDatabase.Settings.fromEnvironment().embedded();
        int port;
        try (StackDatabase database = StackDatabase.provision(settings, sink)) {
            port = database.port();
            assertTrue(database.isEmbedded());
            assertTrue(database.url().startsWith("postgresql://127.0.0.1:" + port + "/premium_e2e_"), database.url());
            try (Connection connection =
                            DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
                    Statement statement = connection.createStatement()) {
                statement.execute("create table owned_here (id int primary key)");
                ResultSet row = statement.executeQuery("select current_database(), current_user, "
                        + "(select pg_get_userbyid(datdba) from pg_database where datname = current_database())");
                assertTrue(row.next());
                assertEquals(database.name(), row.getString(1));
                assertEquals(database.user(), row.getString(2));
                assertEquals(database.user(), row.getString(3));
            }
        }
        assertFalse(Endpoints.answers("127.0.0.1", port), "embedded PostgreSQL still answers after close");
    }

    @Test
    void fallsBackToEmbeddedPostgresWhenNothingAnswersAtTheUrl() throws SQLException {
        String nowhere = "postgresql://127.0.0.1:" + Endpoints.freePort() + "/premium";
        try (StackDatabase database =
                StackDatabase.provision(new StackDatabase.Settings(nowhere, "premium", "premium", false), sink)) {
            assertTrue(database.isEmbedded());
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), "premium", "premium")) {
                assertTrue(connection.isValid(2));
            }
        }
        assertTrue(progress.stream().anyMatch(line -> line.contains("starting an embedded one")), progress.toString());
    }

    @Test
    void localPostgresGetsADatabaseThatIsDroppedOnClose() throws SQLException {
        StackDatabase.Settings settings = StackDatabase.Settings.fromEnvironment();
        Endpoints.Address local = Endpoints.postgres(settings.url());
        Assumptions.assumeTrue(
                Endpoints.answers(local.host(), local.port()),
                "no local PostgreSQL at " + local.host() + ":" + local.port()
                        + " (deploy/local/services.sh starts one)");
        String jdbcUrl;
        try (StackDatabase database = StackDatabase.provision(settings, sink)) {
            assertFalse(database.isEmbedded(), progress.toString());
            jdbcUrl = database.jdbcUrl();
            try (Connection connection = DriverManager.getConnection(jdbcUrl, database.user(), database.password())) {
                assertTrue(connection.isValid(2));
            }
        }
        SQLException gone = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl, settings.user(), settings.password())
                        .close());
        assertEquals("3D000", gone.getSQLState(), "expected 'database does not exist', got " + gone.getMessage());
    }

    @Test
    void fallsBackToEmbeddedRedisWhenNothingAnswersAtTheUrl() {
        String nowhere = "redis://127.0.0.1:" + Endpoints.freePort() + "/0";
        int port;
        try (StackRedis redis = StackRedis.provision(new StackRedis.Settings(nowhere, 3, false), sink)) {
            port = redis.port();
            assertTrue(redis.isEmbedded());
            assertEquals(3, redis.db());
            assertEquals("redis://127.0.0.1:" + port + "/3", redis.url());
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", jedis.ping());
            }
        }
        assertFalse(Endpoints.answers("127.0.0.1", port), "embedded Redis still answers after close");
    }

    @Test
    void aSecondRunLeasesAnotherDatabaseAndClearsLeftoversThere() {
        try (StackRedis first = StackRedis.provision(
                        StackRedis.Settings.fromEnvironment().embedded(), sink);
                Jedis jedis = new Jedis("127.0.0.1", first.port())) {
            jedis.select(first.db() + 1);
            jedis.set("left-by-a-crashed-run", "x");

            try (RedisLease second = RedisLease.claim("127.0.0.1", first.port(), null, first.db())) {
                assertNotEquals(first.db(), second.db());
                assertEquals(first.db() + 1, second.db());
                assertNull(jedis.get("left-by-a-crashed-run"));
            }
        }
    }

    @Test
    void closingALeaseEmptiesOnlyItsOwnDatabase() {
        try (StackRedis first = StackRedis.provision(
                        StackRedis.Settings.fromEnvironment().embedded(), sink);
                Jedis jedis = new Jedis("127.0.0.1", first.port())) {
            jedis.select(first.db());
            jedis.set("first-run-job", "1");
            RedisLease second = RedisLease.claim("127.0.0.1", first.port(), null, first.db());
            jedis.select(second.db());
            jedis.set("second-run-job", "2");

            second.close();

            assertNull(jedis.get("second-run-job"));
            assertNull(jedis.get(RedisLease.LEASE_KEY));
            jedis.select(first.db());
            assertEquals("1", jedis.get("first-run-job"));
            assertTrue(jedis.exists(RedisLease.LEASE_KEY));
        }
    }

    @Test
    void localRedisGetsALeasedDatabaseAboveTheUnitTestOnes() {
        StackRedis.Settings settings = StackRedis.Settings.fromEnvironment();
        Endpoints.Address local = Endpoints.redis(settings.url());
        Assumptions.assumeTrue(
                Endpoints.answers(local.host(), local.port()),
                "no local Redis at " + local.host() + ":" + local.port() + " (deploy/local/services.sh starts one)");
        try (StackRedis redis = StackRedis.provision(settings, sink);
                Jedis jedis = new Jedis(local.host(), local.port())) {
            assertFalse(redis.isEmbedded(), progress.toString());
            assertTrue(redis.db() >= 3, "leased db " + redis.db());
            jedis.select(redis.db());
            assertTrue(jedis.exists(RedisLease.LEASE_KEY));
        }
    }
}
