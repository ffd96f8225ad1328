package io.premiumbot.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a streaming replica (pg_basebackup) on loopback, from the machine's PostgreSQL binaries,
 * in a temp dir, and the two addresses a Kubernetes cluster would give them: {@link #serviceProxy()} always leads to
 * the primary (CloudNativePG's {@code -rw} Service), and the replica streams through {@link #replicationProxy()}, so a
 * test can cut replication (a lagging network) and see what asynchronous replication loses. With
 * {@code synchronous} the primary acknowledges a commit only once the replica has it ({@code synchronous_standby_names},
 * {@code synchronous_commit = on}). Run as root, the servers run as the {@code postgres} user.
 */
public final class LocalPostgresPair implements AutoCloseable {

    private static final String REPLICA_NAME = "replica";

    private final Path dir;
    private final Path bin;
    private final boolean synchronous;
    private final int primaryPort;
    private final int replicaPort;
    private final FollowingProxy service;
    private final FollowingProxy replication;
    private final Consumer<String> progress;
    private boolean primaryUp;
    private boolean replicaUp;
    private boolean closed;

    private LocalPostgresPair(Path dir, Path bin, boolean synchronous, int[] ports, Consumer<String> progress) {
        this.dir = dir;
        this.bin = bin;
        this.synchronous = synchronous;
        this.primaryPort = ports[0];
        this.replicaPort = ports[1];
        this.service = FollowingProxy.start("postgres-rw", ports[2], ports[0]);
        this.replication = FollowingProxy.start("postgres-replication", ports[3], ports[0]);
        this.progress = progress;
    }

    public static LocalPostgresPair start(boolean synchronous, Consumer<String> progress) {
        Path dir = ServerProcess.tempDir("premium-postgres-pair-");
        LocalPostgresPair pair =
                new LocalPostgresPair(dir, binaries(), synchronous, Endpoints.serverPorts(4), progress);
        // pg_ctl daemonizes the servers: they must not outlive a test JVM that exits half-way
        Runtime.getRuntime().addShutdownHook(new Thread(pair::close, "postgres-pair-shutdown"));
        try {
            pair.startPrimary();
            pair.startReplica();
            progress.accept((synchronous ? "synchronous" : "asynchronous") + " pair: primary " + pair.primaryPort
                    + ", replica " + pair.replicaPort + ", services through " + pair.service.port());
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    /** The newest PostgreSQL installed from Debian packages (deploy/local/services.sh installs one). */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_basebackup")))
                    .max(Comparator.comparing(
                            v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under " + root));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("no PostgreSQL binaries under " + root, e);
        }
    }

    private void startPrimary() {
        Path data = dir.resolve("primary");
        run("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        configure(
                data,
                primaryPort,
                List.of(
                        "wal_level = replica",
                        "max_wal_senders = 4",
                        "wal_keep_size = '256MB'",
                        "synchronous_commit = on",
                        "synchronous_standby_names = '" + (synchronous ? REPLICA_NAME : "") + "'"));
        append(data.resolve("pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n");
        run("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "start");
        primaryUp = true;
    }

    private void startReplica() {
        Path data = dir.resolve("replica");
        run(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(primaryPort),
                "-U",
                "postgres",
                "-D",
                data.toString(),
                "-X",
                "stream",
                "--no-sync");
        configure(
                data,
                replicaPort,
                List.of(
                        "primary_conninfo = 'host=127.0.0.1 port=" + replication.port()
                                + " user=postgres application_name=" + REPLICA_NAME + "'",
                        // the copy carries the primary's settings; promoted, it has no standby of its own to wait
                        // for (in production a third instance is there, and the operator names it)
                        "synchronous_standby_names = ''"));
        append(data.resolve("standby.signal"), "");
        run("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "start");
        replicaUp = true;
        awaitStreaming(Duration.ofSeconds(30));
    }

    private void configure(Path data, int port, List<String> extra) {
        List<String> settings = new ArrayList<>(List.of(
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + data + "'",
                "max_connections = 100",
                // the test kills processes, not machines: the OS keeps what was written
                "fsync = off",
                "full_page_writes = off"));
        settings.addAll(extra);
        append(data.resolve("postgresql.auto.conf"), String.join("\n", settings) + "\n");
    }

    /** Waits until the primary sees the replica streaming (and, when synchronous, as its synchronous standby). */
    public void awaitStreaming(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Connection db = connect(primaryPort, "postgres");
                    Statement statement = db.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "select sync_state from pg_stat_replication where application_name = '" + REPLICA_NAME
                                    + "' and state = 'streaming'")) {
                if (rows.next() && (!synchronous || "sync".equals(rows.getString(1)))) {
                    return;
                }
            } catch (SQLException e) {
                // not up yet
            }
            ServerProcess.pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the replica is not streaming from the primary within " + timeout);
    }

    /** Waits until the replica has replayed everything the primary wrote so far. */
    public void awaitReplicaCaughtUp(Duration timeout) {
        String lsn = single(primaryPort, "select pg_current_wal_lsn()::text");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if ("t"
                    .equals(single(replicaPort, "select (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text")
                            .substring(0, 1))) {
                return;
            }
            ServerProcess.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("the replica did not catch up within " + timeout);
    }

    /** The services' {@code DB_URL} host and port: always the primary of the moment. */
    public FollowingProxy serviceProxy() {
        return service;
    }

    /** The replica's connection to the primary; {@link FollowingProxy#cut()} stops replication. */
    public FollowingProxy replicationProxy() {
        return replication;
    }

    public String serviceUrl(String database) {
        return "postgresql://127.0.0.1:" + service.port() + "/" + database;
    }

    /**
     * The primary goes away as in a crash ({@code pg_ctl stop -m immediate}: no checkpoint, clients cut) and the
     * service address loses its endpoint.
     */
    public void stopPrimary() {
        service.cut();
        run("pg_ctl", "-D", dir.resolve("primary").toString(), "-m", "immediate", "-w", "stop");
        primaryUp = false;
    }

    /** What the operator does: promote the replica, wait until it takes writes, point the service address at it. */
    public void promoteReplica(Duration timeout) {
        replication.cut();
        run(
                "pg_ctl",
                "-D",
                dir.resolve("replica").toString(),
                "-w",
                "-t",
                String.valueOf(timeout.toSeconds()),
                "promote");
        Instant deadline = Instant.now().plus(timeout);
        while (!"f"
                .equals(single(replicaPort, "select pg_is_in_recovery()::text").substring(0, 1))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the replica was not promoted within " + timeout);
            }
            ServerProcess.pause(Duration.ofMillis(100));
        }
        service.follow(replicaPort);
        progress.accept("replica " + replicaPort + " promoted; the service address follows it");
    }

    /** A superuser connection through the service address: to whichever server is primary now. */
    public Connection connect(String database) throws SQLException {
        return connect(service.port(), database);
    }

    private static Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
    }

    private static String single(int port, String sql) {
        try (Connection db = connect(port, "postgres");
                Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return String.valueOf(rows.getString(1));
        } catch (SQLException e) {
            return "?";
        }
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root: as its own user, in files it owns
            chownToPostgres();
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("tools.log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(tool + " failed; see " + log + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException(tool + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    private void chownToPostgres() {
        try {
            Process chown = new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            chown.getInputStream().readAllBytes();
            chown.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("could not hand " + dir + " to the postgres user", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(
                    file, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        service.close();
        replication.close();
        for (String server : List.of("replica", "primary")) {
            boolean up = server.equals("replica") ? replicaUp : primaryUp;
            if (up) {
                try {
                    run("pg_ctl", "-D", dir.resolve(server).toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException e) {
                    // best effort: the temp dir goes below either way
                }
            }
        }
        ServerProcess.deleteTree(dir);
    }
}
