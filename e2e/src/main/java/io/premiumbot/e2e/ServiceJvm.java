package io.premiumbot.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a packaged service runs with: the production set the images and {@code k8s/} use (chosen from the
 * measurements in {@code bench/README.md}), plus, on Java 25, compact object headers and the service's AOT cache when
 * the build produced one. Without the cache (a build on Java 17, or {@code -DskipTests}) the service starts all the
 * same, only slower.
 */
public final class ServiceJvm {

    /** The lean set of bench/README.md §5 (full delivery rate, webhook p99 24 ms at 200/s) with Netty trimmed. */
    public static final List<String> PRODUCTION_OPTIONS = List.of(
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-Xss256k",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=128m",
            "-XX:MaxDirectMemorySize=32m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dio.netty.allocator.numDirectArenas=1",
            "-Dio.netty.allocator.numHeapArenas=1");

    /**
     * Java 25 only. Compact object headers: the AOT cache is recorded with the same, or the JVM refuses the cache.
     * Relocation mode 0: the cache (and the JDK's own class archive) is mapped at the address it was written for
     * instead of a random one, so its read-only part stays clean, shareable file pages rather than private copies
     * patched at start (bench/README.md §8: ~55 MiB less anonymous memory, the same RSS).
     */
    public static final List<String> JAVA_25_OPTIONS =
            List.of("-XX:+UseCompactObjectHeaders", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /** Where the build leaves the cache: next to {@code quarkus-run.jar}. */
    public static final String AOT_CACHE_FILE = "app.aot";

    private ServiceJvm() {}

    /**
     * The JDK the services run on: this JVM's, unless {@code -Dpremium.serviceJavaHome} names another (the benchmarks
     * compare Java 17 with Java 25 that way).
     */
    public static Path javaHome() {
        return Path.of(System.getProperty("premium.serviceJavaHome", System.getProperty("java.home")));
    }

    /** The packaged service's directory inside its module: {@code target/quarkus-app} unless overridden (benchmarks). */
    public static String appDir() {
        return System.getProperty("premium.serviceAppDir", "target/quarkus-app");
    }

    /** The production options for the services' JVM ({@link #javaHome()}). */
    public static List<String> productionOptions() {
        List<String> options = new ArrayList<>(PRODUCTION_OPTIONS);
        if (isJava25OrLater()) {
            options.addAll(JAVA_25_OPTIONS);
        }
        return List.copyOf(options);
    }

    /**
     * {@code -XX:AOTCache=…} for the service packaged as {@code jar} when this JVM can use it and the caller chose no
     * AOT option of its own; nothing otherwise.
     */
    public static List<String> aotCacheFor(Path jar, List<String> jvmArgs) {
        Path cache = jar.resolveSibling(AOT_CACHE_FILE);
        boolean chosenByCaller = jvmArgs.stream().anyMatch(arg -> arg.startsWith("-XX:AOT"));
        if (chosenByCaller || !isJava25OrLater() || !Files.isRegularFile(cache)) {
            return List.of();
        }
        return List.of("-XX:AOTCache=" + cache);
    }

    static boolean isJava25OrLater() {
        return featureVersion(javaHome()) >= 25;
    }

    /** The feature release of the JDK at {@code home}, from its {@code release} file; this JVM's when unreadable. */
    static int featureVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK layout we know: fall through to this JVM's version
        }
        return Runtime.version().feature();
    }
}
