package io.premiumbot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.premiumbot.e2e.Stack;
import io.premiumbot.e2e.StackClient;
import io.premiumbot.testkit.FakeBotApi;

/** What the benchmarks share: the stack with a given JVM, funded users, RSS sampling, percentiles. */
final class Bench {

    /** The Stack's default before Java 25 and the production options: the baseline the comparisons start from. */
    static final String BASELINE_JVM_ARGS = "-Xmx256m -XX:+UseSerialGC";

    /** Where bench/run.sh builds the Java 17 fast-jar of each service that the comparisons start from. */
    static final String BASELINE_APP_DIR = "target/bench-fast-jar";

    private Bench() {}

    /** A benchmark's body: may throw anything, reported as a failed run. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs a benchmark's main body and exits the JVM with 0, or 1 after printing what went wrong. */
    static void exit(Body body) {
        int status = 0;
        try {
            body.run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * The services' JVM options: {@code -Dbench.jvmArgs="..."}, else the Stack's (the production options; the Stack
     * adds the AOT cache on Java 25 when the build recorded one and no option here names it).
     */
    static List<String> jvmArgs() {
        String configured = System.getProperty("bench.jvmArgs");
        if (configured == null) {
            return io.premiumbot.e2e.ServiceJvm.productionOptions();
        }
        return configured.isBlank()
                ? List.of()
                : Arrays.asList(configured.trim().split("\\s+"));
    }

    static int intProp(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)));
    }

    static int telegramRateLimit() {
        String env = System.getenv("TELEGRAM_RATE_LIMIT_PER_SECOND");
        return env == null || env.isBlank() ? 30 : Integer.parseInt(env.trim());
    }

    /** The e2e stack with the fake Bot API configured by {@code fake} and the JVM options of {@link #jvmArgs()}. */
    static Stack stack(java.util.function.Consumer<FakeBotApi> fake) {
        Stack.Options d = Stack.Options.defaults();
        FakeBotApi api = FakeBotApi.start(d.botToken());
        fake.accept(api);
        Map<String, String> env = new HashMap<>(d.extraEnv());
        if (d.database().template() != null) {
            // the copy has the schema (bench/growth.sh migrated it with the scripts) but no Flyway history: baseline it
            env.put("QUARKUS_FLYWAY_BASELINE_ON_MIGRATE", "true");
            env.put("QUARKUS_FLYWAY_BASELINE_VERSION", String.valueOf(latestMigration(d.projectRoot())));
            System.out.println("database: a copy of " + d.database().template() + " (Flyway baselined at V"
                    + latestMigration(d.projectRoot()) + ")");
        }
        Stack.Options options = d.toBuilder()
                .botApi(api, d.botToken())
                .logDir(d.projectRoot().resolve("bench/target/logs"))
                .jvmArgs(jvmArgs())
                .env(env)
                .build();
        System.out.println("JVM of both services: " + io.premiumbot.e2e.ServiceJvm.javaHome() + ", "
                + io.premiumbot.e2e.ServiceJvm.appDir() + ", options: " + String.join(" ", jvmArgs())
                + " (+ the AOT cache when the Stack finds one and no option names it)");
        try {
            return Stack.start(options);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    /**
     * The environment of a packaged service started beside the stack's own (same database, Redis, fake Bot API and
     * secrets, logs as text, no tracing collector) answering HTTP on {@code port}.
     */
    static Map<String, String> serviceEnvironment(Stack stack, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_URL", stack.database().url());
        env.put("DB_USER", stack.database().user());
        env.put("DB_PASSWORD", stack.database().password());
        env.put("REDIS_URL", stack.redis().url());
        env.put("TELEGRAM_API_URL", stack.botApi().baseUrl());
        env.put("TELEGRAM_BOT_TOKEN", stack.botToken());
        env.put("TELEGRAM_WEBHOOK_SECRET", stack.webhookSecret());
        env.put("ADMIN_API_TOKEN", stack.adminToken());
        env.put("LOG_JSON", "false");
        env.put("QUARKUS_OTEL_SDK_DISABLED", "true");
        env.put("HTTP_PORT", String.valueOf(port));
        return env;
    }

    /**
     * The command line of the packaged {@code module} as the Stack starts it: the services' JDK, {@link #jvmArgs()},
     * the AOT cache when there is one, then {@code extra} options before {@code -jar}.
     */
    static List<String> serviceCommand(Path projectRoot, String module, String... extra) {
        Path jar = projectRoot
                .resolve(module)
                .resolve(io.premiumbot.e2e.ServiceJvm.appDir())
                .resolve("quarkus-run.jar");
        List<String> command = new ArrayList<>();
        command.add(io.premiumbot.e2e.ServiceJvm.javaHome()
                .resolve("bin")
                .resolve("java")
                .toString());
        command.addAll(jvmArgs());
        command.addAll(io.premiumbot.e2e.ServiceJvm.aotCacheFor(jar, jvmArgs()));
        command.addAll(Arrays.asList(extra));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** The highest V&lt;n&gt;__ of the repository's migrations: what a database migrated by bench/growth.sh is at. */
    static int latestMigration(Path projectRoot) {
        try (var files = Files.list(projectRoot.resolve("shared-model/src/main/resources/db/migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow(() -> new IllegalStateException("no migrations under " + projectRoot));
        } catch (IOException e) {
            throw new IllegalStateException("migrations not readable under " + projectRoot, e);
        }
    }

    /** /start then an operator credit of {@code amount} USDT for every user, 8 at a time. */
    static void fund(StackClient client, List<Long> users, String amount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (long user : users) {
                done.add(pool.submit(() -> {
                    expect(client.say(user, "u" + user, "/start"), 200);
                    expect(
                            client.adminPost(
                                    "/admin/users/" + user + "/adjustments",
                                    StackClient.adjustment(amount, "bench funding"),
                                    java.util.Map.of()),
                            200,
                            201);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void expect(StackClient.Reply reply, int... statuses) {
        for (int status : statuses) {
            if (reply.status() == status) {
                return;
            }
        }
        throw new IllegalStateException("unexpected answer: " + reply);
    }

    /** The pid of the packaged service {@code module} this JVM started. */
    static long pidOf(String module) {
        Optional<ProcessHandle> found = ProcessHandle.current()
                .descendants()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(module + "/" + io.premiumbot.e2e.ServiceJvm.appDir()))
                        .orElse(false))
                .findFirst();
        return found.orElseThrow(() -> new IllegalStateException("no child process runs " + module))
                .pid();
    }

    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Samples VmRSS of a process every 200 ms until closed; keeps the maximum. */
    static final class RssSampler implements AutoCloseable {
        private final String name;
        private final long pid;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long maxKiB;
        private volatile long lastKiB;

        RssSampler(String name, long pid) {
            this.name = name;
            this.pid = pid;
            this.thread = new Thread(this::run, "rss-" + name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void run() {
            while (running) {
                long kib = rssKiB(pid);
                if (kib > 0) {
                    lastKiB = kib;
                    maxKiB = Math.max(maxKiB, kib);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** RSS max and at the end; with {@code -XX:NativeMemoryTracking} among the options, where the memory is now. */
        String report() {
            String rss = String.format(
                    "%s (pid %d) VmRSS max %.1f MiB, at end %.1f MiB", name, pid, maxKiB / 1024.0, lastKiB / 1024.0);
            boolean tracked = jvmArgs().stream().anyMatch(arg -> arg.startsWith("-XX:NativeMemoryTracking="));
            return tracked ? rss + "\n" + nativeMemory(pid) : rss;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }

    /** {@code jcmd <pid> VM.native_memory summary} of a service, run with the services' JDK. */
    static String nativeMemory(long pid) {
        Path jcmd = io.premiumbot.e2e.ServiceJvm.javaHome().resolve("bin").resolve("jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (IOException e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** p-th percentile (0..100) of sorted values, nearest-rank. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String ms(long[] sortedNanos) {
        return String.format(
                "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (n=%d)",
                percentile(sortedNanos, 50) / 1e6,
                percentile(sortedNanos, 90) / 1e6,
                percentile(sortedNanos, 99) / 1e6,
                percentile(sortedNanos, 99.9) / 1e6,
                sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6,
                sortedNanos.length);
    }

    /** CPU seconds (user + system) used so far by the processes whose command name is {@code comm}. */
    static double cpuSecondsOfCommand(String comm) {
        double total = 0;
        java.io.File[] procs =
                new java.io.File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        if (procs == null) {
            return 0;
        }
        for (java.io.File proc : procs) {
            try {
                if (Files.readString(proc.toPath().resolve("comm")).trim().equals(comm)) {
                    total += cpuSeconds(Long.parseLong(proc.getName()));
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
        }
        return total;
    }

    /** CPU seconds (user + system) used so far by one process; clock ticks of 1/100 s. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Where the CPU went between two snapshots: cores used by each part over the wall-clock interval. */
    static final class CpuSnapshot {
        private final long at = System.nanoTime();
        private final java.util.Map<String, Double> seconds = new LinkedHashMap<>();

        CpuSnapshot(long apiPid, long workerPid) {
            seconds.put("api-service", cpuSeconds(apiPid));
            seconds.put("worker-service", cpuSeconds(workerPid));
            seconds.put("postgres", cpuSecondsOfCommand("postgres"));
            seconds.put("redis-server", cpuSecondsOfCommand("redis-server"));
            seconds.put(
                    "bench JVM (load generator, fake Bot API)",
                    cpuSeconds(ProcessHandle.current().pid()));
        }

        String since(CpuSnapshot before) {
            double wall = (at - before.at) / 1e9;
            StringBuilder out = new StringBuilder(String.format("CPU used over %.1f s (cores busy):", wall));
            seconds.forEach((k, v) -> out.append(String.format(" %s %.2f;", k, (v - before.seconds.get(k)) / wall)));
            return out.toString();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void header(String what) {
        System.out.println("=== " + what + " — " + Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, JVM " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
