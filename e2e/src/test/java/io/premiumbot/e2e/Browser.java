package io.premiumbot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver protocol, spoken directly (a handful of commands
 * over HTTP): Selenium's client is not managed by the Quarkus platform and asks for a newer OpenTelemetry than
 * the platform pins, which the enforcer's upper-bound rule refuses.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Process driver;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI session;

    private Browser(Process driver, URI session) {
        this.driver = driver;
        this.session = session;
    }

    /** Debian's chromium and chromium-driver (deploy/local/services.sh installs them); a phone-sized window. */
    static Browser start(Path log) throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException(
                    "the browser test needs Debian's chromium and chromium-driver: run deploy/local/services.sh");
        }
        int port = Endpoints.freePort();
        Files.createDirectories(log.getParent());
        Process driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient probe = HttpClient.newHttpClient();
        try {
            Awaitility.await("chromedriver on port " + port)
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> probe.send(
                                            HttpRequest.newBuilder(base.resolve("/status"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
        } catch (RuntimeException e) {
            driver.destroyForcibly();
            throw e;
        }
        ObjectNode options = JSON.createObjectNode().put("binary", chromium.toString());
        options.putArray("args")
                .add("--headless=new")
                .add("--no-sandbox")
                .add("--disable-gpu")
                .add("--disable-dev-shm-usage")
                .add("--window-size=412,915")
                .add("--lang=en-US");
        ObjectNode capabilities = JSON.createObjectNode();
        capabilities
                .putObject("capabilities")
                .putObject("alwaysMatch")
                .put("browserName", "chrome")
                .set("goog:chromeOptions", options);
        JsonNode created = send(probe, "POST", base.resolve("/session"), capabilities);
        return new Browser(
                driver, base.resolve("/session/" + created.path("sessionId").asText() + "/"));
    }

    void open(String url) {
        command("POST", "url", JSON.createObjectNode().put("url", url));
    }

    String url() {
        return command("GET", "url", null).asText();
    }

    String source() {
        return command("GET", "source", null).asText();
    }

    /** The first element matching the CSS selector, waiting for it to appear. */
    String find(String css) {
        JsonNode found = Awaitility.await("element " + css)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> command(
                                "POST",
                                "elements",
                                JSON.createObjectNode()
                                        .put("using", "css selector")
                                        .put("value", css)),
                        elements -> elements.size() > 0);
        return found.get(0).path(ELEMENT).asText();
    }

    boolean has(String css) {
        return command(
                                "POST",
                                "elements",
                                JSON.createObjectNode()
                                        .put("using", "css selector")
                                        .put("value", css))
                        .size()
                > 0;
    }

    String text(String css) {
        return command("GET", "element/" + find(css) + "/text", null).asText();
    }

    void type(String css, String text) {
        command(
                "POST",
                "element/" + find(css) + "/value",
                JSON.createObjectNode().put("text", text));
    }

    void click(String css) {
        command("POST", "element/" + find(css) + "/click", JSON.createObjectNode());
    }

    Object script(String body, Object... args) {
        ObjectNode request = JSON.createObjectNode().put("script", body);
        var array = request.putArray("args");
        for (Object arg : args) {
            array.add(String.valueOf(arg));
        }
        return command("POST", "execute/sync", request);
    }

    /** Resizes the window (a desktop-sized page for a screenshot; back to the phone size after). */
    void resize(int width, int height) {
        command(
                "POST",
                "window/rect",
                JSON.createObjectNode().put("width", width).put("height", height));
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(
                file,
                Base64.getDecoder().decode(command("GET", "screenshot", null).asText()));
    }

    /** Waits until the page's text contains {@code expected}. */
    void awaitText(String expected) {
        Awaitility.await("a page showing '" + expected + "'")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> source().contains(expected));
    }

    private JsonNode command(String method, String path, JsonNode body) {
        try {
            return send(http, method, session.resolve(path), body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " failed", e);
        }
    }

    private static JsonNode send(HttpClient client, String method, URI uri, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "WebDriver " + method + " " + uri.getPath() + " answered " + response.statusCode() + ": "
                            + answer.path("value").path("message").asText());
        }
        return answer.path("value");
    }

    @Override
    public void close() {
        try {
            send(http, "DELETE", URI.create(session.toString().replaceAll("/$", "")), null);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the browser session did not end cleanly", e);
        } finally {
            // chromedriver ends the Chromium it started when it exits
            driver.destroy();
        }
    }
}
