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

import io.premiumbot.e2e.ServiceProcess;
import io.premiumbot.e2e.Stack;

/**
 * SPEC §11 "start: ready < 3 s". With a stack up (database migrated, Redis leased, fake Bot API), starts
 * {@code runs} (5) further processes of each packaged jar with the stack's configuration and times process start →
 * first {@code /q/health/ready} 200, polling every 10 ms. The JVM options are the benchmark's ({@code bench.jvmArgs}).
 */
public final class StartTime {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    public static void main(String[] args) {
        Bench.exit(() -> run());
    }

    private static void run() throws Exception {
        int runs = Bench.intProp("runs", 5);
        Bench.header("start → ready, " + runs + " runs per service");
        try (Stack stack = Bench.stack(api -> { })) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DB_URL", stack.database().url());
            env.put("DB_USER", stack.database().user());
            env.put("DB_PASSWORD", stack.database().password());
            env.put("REDIS_URL", stack.redis().url());
            env.put("TELEGRAM_API_URL", stack.botApi().baseUrl());
            env.put("TELEGRAM_BOT_TOKEN", stack.botApi().methodUri("x").getPath().replaceAll("^/bot(.*)/x$", "$1"));
            env.put("TELEGRAM_WEBHOOK_SECRET", stack.webhookSecret());
            env.put("ADMIN_API_TOKEN", stack.adminToken());
            env.put("LOG_JSON", "false");
            env.put("QUARKUS_OTEL_SDK_DISABLED", "true");
            Path root = Path.of(System.getProperty("premium.projectRoot", ".")).toAbsolutePath().normalize();
            for (String module : List.of("api-service", "worker-service")) {
                Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    int port = Bench.freePort();
                    Map<String, String> serviceEnv = new LinkedHashMap<>(env);
                    serviceEnv.put("HTTP_PORT", String.valueOf(port));
                    serviceEnv.put("WORKER_ID", "start-bench-" + i);
                    List<String> command = new ArrayList<>();
                    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                    command.addAll(Bench.jvmArgs());
                    command.add("-jar");
                    command.add(jar.toString());
                    URI base = URI.create("http://127.0.0.1:" + port);
                    long t0 = System.nanoTime();
                    try (ServiceProcess process = ServiceProcess.start(module, command, serviceEnv,
                            root.resolve("bench/target/logs/start-" + module + "-" + i + ".log"), base)) {
                        while (status(base.resolve("/q/health/ready")) != 200) {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(module + " exited: " + process.tail(20));
                            }
                            if (System.nanoTime() - t0 > 60_000_000_000L) {
                                throw new IllegalStateException(module + " not ready in 60 s");
                            }
                            Thread.sleep(10);
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        times.add(seconds);
                        System.out.printf("%s run %d: ready after %.3f s%n", module, i + 1, seconds);
                    }
                }
                System.out.printf("%s: process start → ready: min %.3f s, mean %.3f s, max %.3f s over %d runs%n", module,
                        times.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        times.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
                        times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), times.size());
            }
        }
    }

    private static int status(URI uri) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
