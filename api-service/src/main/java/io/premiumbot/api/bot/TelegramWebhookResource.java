package io.premiumbot.api.bot;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.Problem;
import io.premiumbot.api.support.Secrets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/telegram/webhook")
@Tag(name = "telegram")
public class TelegramWebhookResource {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final BotService bot;
    private final ApiConfig.Telegram telegram;

    public TelegramWebhookResource(BotService bot, ApiConfig.Telegram telegram) {
        this.bot = bot;
        this.telegram = telegram;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Telegram's webhook; the reply, if any, rides in the response as a Bot API method call")
    public Uni<Response> receive(@HeaderParam(SECRET_HEADER) String secret, Update update) {
        if (!Secrets.matches(secret, telegram.webhookSecret())) {
            return Uni.createFrom().item(Problem.response(Response.Status.UNAUTHORIZED, "wrong or missing webhook secret"));
        }
        if (update == null || update.updateId() == null) {
            return Uni.createFrom().item(Problem.response(Response.Status.BAD_REQUEST, "an Update with update_id is required"));
        }
        return bot.handle(update).map(reply -> reply == null ? Response.ok().build() : Response.ok(reply).build());
    }
}
