package io.premiumbot.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs small single-file Java programs as the "service" to see how readiness and failures are reported. */
class ServiceProcessTest {

    private static final String HEALTH_SERVER = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            public class Health {
                public static void main(String[] args) throws Exception {
                    int status = Integer.parseInt(System.getenv("HEALTH_STATUS"));
                    HttpServer server = HttpServer.create(
                            new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("HTTP_PORT"))), 8);
                    server.createContext("/q/health/ready", exchange -> {
                        exchange.sendResponseHeaders(status, -1);
                        exchange.close();
                    });
                    server.start();
                    System.out.println("listening, health answers " + status);
                }
            }
            """;

    private static final String CRASHING = """
            public class Crash {
                public static void main(String[] args) {
                    System.out.println("line one");
                    System.out.println("boom: config value missing");
                    System.exit(3);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void readyWhenHealthAnswers200AndStoppedOnClose() throws IOException {
        int port = Endpoints.freePort();
        ServiceProcess service =
                start("Health", HEALTH_SERVER, Map.of("HEALTH_STATUS", "200", "HTTP_PORT", "" + port), port);
        try (service) {
            service.awaitReady(Duration.ofSeconds(30));
            assertTrue(service.isAlive());
        }
        assertFalse(service.isAlive());
    }

    @Test
    void exitBeforeReadyReportsExitCodeAndLastLogLines() throws IOException {
        int port = Endpoints.freePort();
        try (ServiceProcess service = start("Crash", CRASHING, Map.of(), port)) {
            IllegalStateException failure =
                    assertThrows(IllegalStateException.class, () -> service.awaitReady(Duration.ofSeconds(30)));

            assertTrue(failure.getMessage().contains("exited with code 3"), failure.getMessage());
            assertTrue(failure.getMessage().contains("boom: config value missing"), failure.getMessage());
        }
    }

    @Test
    void notReadyWithinTimeoutSaysTheLastHealthStatus() throws IOException {
        int port = Endpoints.freePort();
        ServiceProcess service =
                start("Health", HEALTH_SERVER, Map.of("HEALTH_STATUS", "503", "HTTP_PORT", "" + port), port);
        try (service) {
            IllegalStateException failure =
                    assertThrows(IllegalStateException.class, () -> service.awaitReady(Duration.ofSeconds(8)));

            assertTrue(failure.getMessage().contains("not ready within 8 s"), failure.getMessage());
            assertTrue(failure.getMessage().contains("status: 503"), failure.getMessage());
        }
    }

    private ServiceProcess start(String className, String source, Map<String, String> env, int port)
            throws IOException {
        Path file = Files.writeString(dir.resolve(className + ".java"), source);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ServiceProcess.start(
                className,
                List.of(java, file.toString()),
                env,
                dir.resolve(className + ".log"),
                URI.create("http://127.0.0.1:" + port));
    }
}
