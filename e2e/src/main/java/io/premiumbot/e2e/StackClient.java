package io.premiumbot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.premiumbot.testkit.TelegramUpdates;

/** Talks to a running api-service the way Telegram (webhook) and the operator (admin API) do. */
public final class StackClient {

    /** An HTTP answer to {@code request} (method and path); {@link #json()} parses the body. */
    public record Reply(String request, int status, String body) {
        @Override
        public String toString() {
            return request + " -> " + status + (body.isBlank() ? "" : " " + body);
        }

        public JsonNode json() {
            try {
                return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI api;
    private final String webhookSecret;
    private final String adminToken;

    public StackClient(URI api, String webhookSecret, String adminToken) {
        this.api = api;
        this.webhookSecret = webhookSecret;
        this.adminToken = adminToken;
    }

    /** A private-chat text message from a user, as Telegram delivers it to the webhook. */
    public static String textUpdate(long userId, String username, String languageCode, String text) {
        return TelegramUpdates.from(userId)
                .firstName(username == null ? "User" + userId : username)
                .username(username)
                .language(languageCode)
                .text(text);
    }

    /** Sends a user's text to the webhook with the right secret. */
    public Reply say(long userId, String username, String text) {
        return webhook(textUpdate(userId, username, "en", text), webhookSecret);
    }

    /** Posts an update with the given secret header ({@code null}: no header). */
    public Reply webhook(String update, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve("/telegram/webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(update));
        if (secret != null) {
            request.header(SECRET_HEADER, secret);
        }
        return send(request);
    }

    public Reply adminGet(String path) {
        return send(admin(path, adminToken).GET());
    }

    /** POSTs JSON to the operator API; {@code headers} adds e.g. an Idempotency-Key. */
    public Reply adminPost(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = admin(path, adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request);
    }

    /** A GET to the operator API without the bearer token. */
    public Reply adminGetAnonymous(String path) {
        return send(admin(path, null).GET());
    }

    /** A POST to the operator API without the bearer token. */
    public Reply adminPostAnonymous(String path, String json) {
        return send(admin(path, null)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    /** The user's orders, newest first as the operator API lists them. */
    public JsonNode ordersOf(long userId) {
        Reply reply = adminGet("/admin/orders?user=" + userId);
        if (reply.status() != 200) {
            throw new IllegalStateException("GET /admin/orders?user=" + userId + " answered " + reply.status());
        }
        return reply.json().path("items");
    }

    public static String adjustment(String amount, String reason) {
        return JSON.createObjectNode()
                .put("amount", amount)
                .put("reason", reason)
                .toString();
    }

    private HttpRequest.Builder admin(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            String what = built.method() + " " + built.uri().getRawPath()
                    + (built.uri().getRawQuery() == null
                            ? ""
                            : "?" + built.uri().getRawQuery());
            return new Reply(what, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "api-service did not answer " + request.build().uri().getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
