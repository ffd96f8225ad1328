package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.payments.BotStars;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/stars")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stars")
@SecurityRequirement(name = "operator")
public class AdminStarsResource {

    private final BotStars stars;

    public AdminStarsResource(BotStars stars) {
        this.stars = stars;
    }

    @GET
    @Operation(
            summary =
                    "The bot's Telegram Stars balance and its latest Star transactions, newest first (asks Telegram; 503 when it can't be asked)")
    public Uni<BotStars.Overview> overview(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return stars.overview(limit);
    }
}
