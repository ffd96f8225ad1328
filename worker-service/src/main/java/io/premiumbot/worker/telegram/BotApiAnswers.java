package io.premiumbot.worker.telegram;

import java.time.Duration;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** What an HTTP answer of the Bot API means: its {@code result}, or the {@link TelegramException} it amounts to. */
final class BotApiAnswers {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private BotApiAnswers() {}

    static Object read(String method, int status, Buffer raw) {
        JsonObject body;
        try {
            body = raw == null || raw.length() == 0 ? null : raw.toJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            if (status >= 500) {
                throw new TelegramException.Unavailable(method, status, "no JSON body", null);
            }
            // an answer we can't read after the request was carried out: treat as not knowing
            throw new TelegramException.OutcomeUnknown(
                    method, new IllegalStateException("HTTP " + status + " without a JSON body"));
        }
        if (status == 200 && Boolean.TRUE.equals(body.getBoolean("ok"))) {
            return body.getValue("result");
        }
        int code = body.getInteger("error_code", status);
        String description = body.getString("description", "");
        if (code == 429) {
            JsonObject parameters = body.getJsonObject("parameters");
            Integer retryAfter = parameters == null ? null : parameters.getInteger("retry_after");
            throw new TelegramException.RateLimited(
                    method, retryAfter == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(retryAfter));
        }
        if (code >= 500 || code == 401 || code == 404) {
            // 5xx is Telegram's trouble; 401/404 are our misconfiguration (token, URL): never the customer's fault
            throw new TelegramException.Unavailable(method, code, description, null);
        }
        throw new TelegramException.Rejected(method, code, description);
    }
}
