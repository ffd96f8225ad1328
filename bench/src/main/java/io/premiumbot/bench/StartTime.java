package io.premiumbot.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.premiumbot.e2e.ServiceJvm;
import io.premiumbot.e2e.ServiceProcess;
import io.premiumbot.e2e.Stack;

/**
 * Start: process start → first {@code /q/health/ready} 200, polled every 10 ms. With a stack up (database migrated,
 * Redis leased, fake Bot API), starts {@code runs} (5) further processes of each packaged service per variant,
 * interleaved (run 1 of every variant, then run 2, …) so that load from elsewhere on the machine falls on all alike:
 * <ol>
 * <li>baseline: Java 17 ({@code bench.baselineJavaHome}), the fast-jar ({@code bench.baselineAppDir}), the Stack's
 * former default options {@code -Xmx256m -XX:+UseSerialGC};</li>
 * <li>Java 25 (this JVM), the aot-jar with the production options, without the AOT cache;</li>
 * <li>the same with the AOT cache the build recorded.</li>
 * </ol>
 * Reports each run and the median, min and max per variant and service.
 */
public final class StartTime {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    /** One way to run the services: which JDK, which packaging, which options (the AOT cache is one of them). */
    record Variant(String name, Path javaHome, String appDir, List<String> options, boolean aotCache) {}

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        int runs = Bench.intProp("runs", 5);
        Path java25 = Path.of(System.getProperty("java.home"));
        List<String> production = new ArrayList<>(ServiceJvm.PRODUCTION_OPTIONS);
        production.addAll(ServiceJvm.JAVA_25_OPTIONS);
        List<Variant> variants = List.of(
                new Variant(
                        "java17-fastjar-default",
                        Path.of(System.getProperty("bench.baselineJavaHome", "/usr/lib/jvm/java-17-openjdk-amd64")),
                        System.getProperty("bench.baselineAppDir", Bench.BASELINE_APP_DIR),
                        List.of(Bench.BASELINE_JVM_ARGS.split(" ")),
                        false),
                new Variant("java25-aotjar-production-nocache", java25, "target/quarkus-app", production, false),
                new Variant("java25-aotjar-production-aotcache", java25, "target/quarkus-app", production, true));
        Bench.header("start → ready, " + runs + " runs per service and variant");
        Path root = Path.of(System.getProperty("premium.projectRoot", "."))
                .toAbsolutePath()
                .normalize();
        for (Variant v : variants) {
            System.out.println("variant " + v.name() + ": " + v.javaHome() + "/bin/java "
                    + String.join(" ", v.options())
                    + (v.aotCache() ? " -XX:AOTCache=<module>/" + v.appDir() + "/app.aot" : "") + " -jar <module>/"
                    + v.appDir() + "/quarkus-run.jar");
        }
        try (Stack stack = Bench.stack(api -> {})) {
            // each start sets its own HTTP_PORT
            Map<String, String> env = Bench.serviceEnvironment(stack, 0);
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (int i = 0; i < runs; i++) {
                for (Variant v : variants) {
                    for (String module : List.of("api-service", "worker-service")) {
                        double seconds = startOnce(root, v, module, i, env);
                        times.computeIfAbsent(v.name() + " " + module, k -> new ArrayList<>())
                                .add(seconds);
                        System.out.printf("%s %s run %d: ready after %.3f s%n", v.name(), module, i + 1, seconds);
                    }
                }
            }
            times.forEach((key, values) -> {
                List<Double> sorted = values.stream().sorted().toList();
                System.out.printf(
                        "%s: process start → ready: median %.3f s, min %.3f s, max %.3f s over %d runs%n",
                        key,
                        sorted.get(sorted.size() / 2),
                        sorted.get(0),
                        sorted.get(sorted.size() - 1),
                        sorted.size());
            });
        }
    }

    private static double startOnce(Path root, Variant v, String module, int run, Map<String, String> env)
            throws Exception {
        Path jar = root.resolve(module).resolve(v.appDir()).resolve("quarkus-run.jar");
        Path cache = jar.resolveSibling(ServiceJvm.AOT_CACHE_FILE);
        if (!java.nio.file.Files.isRegularFile(jar) || (v.aotCache() && !java.nio.file.Files.isRegularFile(cache))) {
            throw new IllegalStateException(
                    v.name() + ": " + (v.aotCache() ? cache : jar) + " is missing (bench/README.md)");
        }
        int port = Bench.freePort();
        Map<String, String> serviceEnv = new LinkedHashMap<>(env);
        serviceEnv.put("HTTP_PORT", String.valueOf(port));
        serviceEnv.put("WORKER_ID", "start-bench-" + run);
        List<String> command = new ArrayList<>();
        command.add(v.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(v.options());
        if (v.aotCache()) {
            command.add("-XX:AOTCache=" + cache);
        }
        command.add("-jar");
        command.add(jar.toString());
        URI base = URI.create("http://127.0.0.1:" + port);
        long t0 = System.nanoTime();
        try (ServiceProcess process = ServiceProcess.start(
                module,
                command,
                serviceEnv,
                root.resolve("bench/target/logs/start-" + v.name() + "-" + module + "-" + run + ".log"),
                base)) {
            while (status(base.resolve("/q/health/ready")) != 200) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(module + " exited: " + process.tail(20));
                }
                if (System.nanoTime() - t0 > 60_000_000_000L) {
                    throw new IllegalStateException(module + " not ready in 60 s");
                }
                Thread.sleep(10);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static int status(URI uri) throws InterruptedException {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(1))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
