package io.premiumbot.api.bot;

import java.io.IOException;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.Problem;
import io.premiumbot.api.support.Secrets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Telegram's webhook. The body arrives as bytes (capped by {@code quarkus.http.limits.max-body-size}: larger gets 413
 * unread) and is parsed only after the secret matched, so a caller without it learns nothing from the parser.
 */
@Path("/telegram/webhook")
@Tag(name = "telegram")
public class TelegramWebhookResource {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final BotService bot;
    private final ApiConfig.Telegram telegram;
    private final ObjectMapper json;

    public TelegramWebhookResource(BotService bot, ApiConfig.Telegram telegram, ObjectMapper json) {
        this.bot = bot;
        this.telegram = telegram;
        this.json = json;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Telegram's webhook; the reply, if any, rides in the response as a Bot API method call")
    public Uni<Response> receive(@HeaderParam(SECRET_HEADER) String secret, byte[] body) {
        if (!Secrets.matches(secret, telegram.webhookSecret())) {
            return Uni.createFrom()
                    .item(Problem.response(Response.Status.UNAUTHORIZED, "wrong or missing webhook secret"));
        }
        Update update;
        try {
            update = body == null || body.length == 0 ? null : json.readValue(body, Update.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom()
                    .item(Problem.response(
                            Response.Status.BAD_REQUEST,
                            "the body is not a Telegram Update: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "the body could not be read"));
        }
        if (update == null || update.updateId() == null) {
            return Uni.createFrom()
                    .item(Problem.response(Response.Status.BAD_REQUEST, "an Update with update_id is required"));
        }
        return bot.handle(update)
                .map(reply -> reply == null
                        ? Response.ok().build()
                        : Response.ok(reply).build());
    }
}
