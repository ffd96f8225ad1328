package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.bot.BotRegistration;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/telegram")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telegram")
@SecurityRequirement(name = "operator")
public class AdminTelegramResource {

    private final BotRegistration registration;
    private final CurrentOperator operator;

    public AdminTelegramResource(BotRegistration registration, CurrentOperator operator) {
        this.registration = registration;
        this.operator = operator;
    }

    @POST
    @Path("setup")
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Register the webhook (TELEGRAM_WEBHOOK_URL, the webhook secret, the update kinds the bot reads, "
                    + "TELEGRAM_WEBHOOK_MAX_CONNECTIONS) and the command menu in English and Chinese; answers what Telegram now "
                    + "holds. The same again changes nothing; 409 without a webhook URL, 422 when Telegram refuses it, 503 when "
                    + "Telegram can't be asked")
    public Uni<BotRegistration.Setup> setup() {
        return registration.register(operator.audit());
    }
}
