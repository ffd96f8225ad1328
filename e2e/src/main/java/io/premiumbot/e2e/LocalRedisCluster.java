package io.premiumbot.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters (no replicas) on loopback, from the machine's {@code redis-server} and
 * {@code redis-cli --cluster create}, in a temp dir; closing stops the nodes and removes the dir.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private static final int MASTERS = 3;

    private final Path dir;
    private final List<ServerProcess> nodes;

    private LocalRedisCluster(Path dir, List<ServerProcess> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    public static LocalRedisCluster start(Consumer<String> progress) {
        Path dir = ServerProcess.tempDir("premium-redis-cluster-");
        // each node's client port and its cluster bus port, all in this run's range
        int[] ports = Endpoints.serverPorts(2 * MASTERS);
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                int port = ports[i];
                Path nodeDir = dir.resolve("node-" + port);
                ServerProcess node = ServerProcess.start(
                        "redis-" + port,
                        port,
                        nodeDir,
                        List.of(
                                "redis-server",
                                "--bind",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(port),
                                "--cluster-enabled",
                                "yes",
                                "--cluster-port",
                                String.valueOf(ports[MASTERS + i]),
                                "--cluster-config-file",
                                nodeDir.resolve("nodes.conf").toString(),
                                "--cluster-node-timeout",
                                "2000",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                nodeDir.toString()));
                nodes.add(node);
                node.awaitReady(Duration.ofSeconds(10), () -> LocalRedisSentinels.pong(port));
            }
            create(nodes, dir);
            for (ServerProcess node : nodes) {
                node.awaitReady(Duration.ofSeconds(20), () -> clusterOk(node.port()));
            }
            LocalRedisCluster cluster = new LocalRedisCluster(dir, nodes);
            progress.accept("Redis Cluster of " + MASTERS + " masters on " + cluster.seeds());
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(ServerProcess::close);
            ServerProcess.deleteTree(dir);
            throw e;
        }
    }

    /** {@code redis-cli --cluster create}: the 16384 slots split over the masters, which then meet each other. */
    private static void create(List<ServerProcess> nodes, Path dir) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        try {
            Process create = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("cluster-create.log").toFile())
                    .start();
            if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new IllegalStateException(
                        "redis-cli --cluster create failed; see " + dir.resolve("cluster-create.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli is missing (Debian package redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    private static boolean clusterOk(int port) {
        try (Jedis jedis = new Jedis("127.0.0.1", port, 1_000)) {
            return jedis.clusterInfo().contains("cluster_state:ok");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The nodes as the services' {@code REDIS_URL} lists them: any one is enough to discover the rest. */
    public String seeds() {
        return nodes.stream().map(node -> "redis://127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** What the services need to run on this cluster (docs/contracts.md). */
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_CLIENT_TYPE", "cluster");
        env.put("REDIS_URL", seeds());
        return env;
    }

    public List<Integer> ports() {
        return nodes.stream().map(ServerProcess::port).toList();
    }

    /** The node that owns {@code key}'s hash slot. */
    public int portOwning(String key) {
        try (Jedis any = new Jedis("127.0.0.1", nodes.get(0).port(), 2_000)) {
            long slot = any.clusterKeySlot(key);
            for (ServerProcess node : nodes) {
                try (Jedis jedis = new Jedis("127.0.0.1", node.port(), 2_000)) {
                    if (owns(jedis, slot)) {
                        return node.port();
                    }
                }
            }
        }
        throw new IllegalStateException("no node owns the slot of " + key);
    }

    private static boolean owns(Jedis jedis, long slot) {
        String myself = jedis.clusterNodes()
                .lines()
                .filter(line -> line.contains("myself"))
                .findFirst()
                .orElseThrow();
        String[] fields = myself.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String[] range = fields[i].split("-");
            long from = Long.parseLong(range[0]);
            long to = range.length > 1 ? Long.parseLong(range[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        nodes.forEach(ServerProcess::close);
        ServerProcess.deleteTree(dir);
    }
}
