package io.premiumbot.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;

/**
 * A Sentinel-managed Redis on loopback from the machine's {@code redis-server}: a primary, one replica and three
 * sentinels (quorum 2) watching them, in a temp dir; closing stops them all and removes the dir. The sentinels call
 * the primary down after {@link #DOWN_AFTER} without an answer and promote the replica.
 */
public final class LocalRedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "premium";
    /** Sentinel's {@code down-after-milliseconds}: how long the primary may be silent before a failover starts. */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(2);

    private final Path dir;
    private final ServerProcess primary;
    private final ServerProcess replica;
    private final List<ServerProcess> sentinels;

    private LocalRedisSentinels(Path dir, ServerProcess primary, ServerProcess replica, List<ServerProcess> sentinels) {
        this.dir = dir;
        this.primary = primary;
        this.replica = replica;
        this.sentinels = List.copyOf(sentinels);
    }

    public static LocalRedisSentinels start(Consumer<String> progress) {
        Path dir = ServerProcess.tempDir("premium-redis-sentinel-");
        int[] ports = Endpoints.serverPorts(5);
        List<ServerProcess> started = new ArrayList<>();
        try {
            ServerProcess primary = own(started, redis("primary", ports[0], dir, List.of()));
            ServerProcess replica = own(
                    started,
                    redis("replica", ports[1], dir, List.of("--replicaof", "127.0.0.1", String.valueOf(ports[0]))));
            replica.awaitReady(Duration.ofSeconds(20), () -> linkUp(replica.port()));
            List<ServerProcess> sentinels = new ArrayList<>();
            for (int i = 2; i < 5; i++) {
                sentinels.add(own(started, sentinel(ports[i], ports[0], dir)));
            }
            // every sentinel knows the replica and its two peers before anything may fail over
            for (ServerProcess sentinel : sentinels) {
                sentinel.awaitReady(Duration.ofSeconds(30), () -> sentinelSeesAll(sentinel.port()));
            }
            LocalRedisSentinels group = new LocalRedisSentinels(dir, primary, replica, sentinels);
            progress.accept("Redis primary " + primary.port() + ", replica " + replica.port() + ", sentinels "
                    + group.sentinelUrls());
            return group;
        } catch (RuntimeException e) {
            started.forEach(ServerProcess::close);
            ServerProcess.deleteTree(dir);
            throw e;
        }
    }

    private static ServerProcess own(List<ServerProcess> started, ServerProcess server) {
        started.add(server);
        return server;
    }

    private static ServerProcess redis(String role, int port, Path dir, List<String> extra) {
        Path nodeDir = dir.resolve(role);
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                nodeDir.toString()));
        command.addAll(extra);
        ServerProcess server = ServerProcess.start("redis-" + role, port, nodeDir, command);
        server.awaitReady(Duration.ofSeconds(10), () -> pong(port));
        return server;
    }

    private static ServerProcess sentinel(int port, int primaryPort, Path dir) {
        Path sentinelDir = dir.resolve("sentinel-" + port);
        Path config = sentinelDir.resolve("sentinel.conf");
        try {
            Files.createDirectories(sentinelDir);
            // the sentinel rewrites this file as it learns the group: it must be its own and writable
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "bind 127.0.0.1",
                            "port " + port,
                            "dir " + sentinelDir,
                            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primaryPort + " 2",
                            "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                            "sentinel failover-timeout " + MASTER_NAME + " 10000",
                            "sentinel parallel-syncs " + MASTER_NAME + " 1",
                            ""));
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + config, e);
        }
        ServerProcess sentinel = ServerProcess.start(
                "sentinel-" + port, port, sentinelDir, List.of("redis-server", config.toString(), "--sentinel"));
        sentinel.awaitReady(Duration.ofSeconds(10), () -> pong(port));
        return sentinel;
    }

    static boolean pong(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 1_000)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean linkUp(int replicaPort) {
        try (Jedis jedis = new Jedis("127.0.0.1", replicaPort, 1_000)) {
            return jedis.info("replication").contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean sentinelSeesAll(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 1_000)) {
            Map<String, String> master = jedis.sentinelMasters().get(0);
            return "1".equals(master.get("num-slaves")) && "2".equals(master.get("num-other-sentinels"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public String sentinelUrls() {
        return sentinels.stream().map(s -> "redis://127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** What the services need to run on this group (docs/contracts.md). */
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_CLIENT_TYPE", "sentinel");
        env.put("REDIS_URL", sentinelUrls());
        env.put("REDIS_MASTER_NAME", MASTER_NAME);
        return env;
    }

    public int primaryPort() {
        return primary.port();
    }

    public int replicaPort() {
        return replica.port();
    }

    /** The primary crashes: SIGKILL, whatever it had not yet sent to the replica is gone. */
    public Instant killPrimary() {
        primary.kill();
        return Instant.now();
    }

    /** The port the sentinels name as primary now (asks each until one answers). */
    public int announcedPrimaryPort() {
        for (ServerProcess sentinel : sentinels) {
            try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port(), 1_000)) {
                return Integer.parseInt(
                        jedis.sentinelGetMasterAddrByName(MASTER_NAME).get(1));
            } catch (RuntimeException e) {
                // the next sentinel
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    /** Waits until the sentinels name the replica primary and it accepts writes; returns when that was seen. */
    public Instant awaitReplicaPromoted(Duration timeout) {
        replica.awaitReady(
                timeout, () -> announcedPrimaryPort() == replica.port() && isWritablePrimary(replica.port()));
        return Instant.now();
    }

    private static boolean isWritablePrimary(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 1_000)) {
            return jedis.info("replication").contains("role:master");
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        sentinels.forEach(ServerProcess::close);
        replica.close();
        primary.close();
        ServerProcess.deleteTree(dir);
    }
}
