package io.premiumbot.e2e;

import java.io.IOException;
import java.util.function.Consumer;

import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * The Redis a stack run uses: the one answering at the configured URL, or an embedded redis-server on a free port
 * when none does; either way the run leases a logical database of its own (see {@link RedisLease}).
 */
public final class StackRedis implements AutoCloseable {

    /** Where to look for Redis and the first logical database stack runs may lease (unit tests use 0-2). */
    public record Settings(String url, int firstDb, boolean forceEmbedded) {
        public static Settings fromEnvironment() {
            return new Settings(
                    StackDatabase.env("REDIS_URL", "redis://127.0.0.1:6379/0"),
                    Integer.parseInt(StackDatabase.env("E2E_REDIS_DB", "3")),
                    false);
        }

        public Settings embedded() {
            return new Settings(url, firstDb, true);
        }
    }

    private final String host;
    private final int port;
    private final String password;
    private final RedisServer embedded;
    private final RedisLease lease;

    private StackRedis(String host, int port, String password, RedisServer embedded, RedisLease lease) {
        this.host = host;
        this.port = port;
        this.password = password;
        this.embedded = embedded;
        this.lease = lease;
    }

    public static StackRedis provision(Settings settings, Consumer<String> progress) {
        Endpoints.Address address = Endpoints.redis(settings.url());
        if (!settings.forceEmbedded() && pong(address)) {
            RedisLease lease = RedisLease.claim(address.host(), address.port(), address.password(), settings.firstDb());
            progress.accept("Redis at " + address.host() + ":" + address.port() + ": leased database " + lease.db());
            return new StackRedis(address.host(), address.port(), address.password(), null, lease);
        }
        if (!settings.forceEmbedded()) {
            progress.accept(
                    "no Redis answers at " + address.host() + ":" + address.port() + ": starting an embedded one");
        }
        int port = Endpoints.freePort();
        RedisServer server;
        try {
            server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException("embedded Redis did not start", e);
        }
        try {
            RedisLease lease = RedisLease.claim("127.0.0.1", port, null, settings.firstDb());
            progress.accept("embedded Redis on 127.0.0.1:" + port + ": leased database " + lease.db());
            return new StackRedis("127.0.0.1", port, null, server, lease);
        } catch (RuntimeException e) {
            stopQuietly(server, e);
            throw e;
        }
    }

    private static boolean pong(Endpoints.Address address) {
        if (!Endpoints.answers(address.host(), address.port())) {
            return false;
        }
        try (Jedis jedis = new Jedis(address.host(), address.port(), 1_000)) {
            if (address.password() != null) {
                jedis.auth(address.password());
            }
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The services' {@code REDIS_URL}. */
    public String url() {
        String credentials = password == null ? "" : ":" + password + "@";
        return "redis://" + credentials + host + ":" + port + "/" + lease.db();
    }

    /** Where it is, without the password: for printing. */
    public String describe() {
        return host + ":" + port + " db " + lease.db() + (embedded != null ? " (embedded)" : "");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int db() {
        return lease.db();
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded == null) {
            lease.close();
            return;
        }
        // embedded-redis stops its server from a JVM shutdown hook of its own, maybe already: nothing to empty
        lease.abandon();
        try {
            embedded.stop();
        } catch (IOException e) {
            throw new IllegalStateException("embedded Redis did not stop", e);
        }
    }

    private static void stopQuietly(RedisServer server, RuntimeException cause) {
        try {
            server.stop();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
