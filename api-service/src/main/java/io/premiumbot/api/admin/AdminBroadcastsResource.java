package io.premiumbot.api.admin;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.broadcast.BroadcastPreview;
import io.premiumbot.api.broadcast.Broadcasts;
import io.premiumbot.api.broadcast.Broadcasts.Broadcast;
import io.premiumbot.api.broadcast.Broadcasts.NewBroadcast;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/admin/broadcasts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "broadcasts")
@SecurityRequirement(name = "operator")
public class AdminBroadcastsResource {

    /** Where a preview goes; empty: the first of OPERATOR_ALERT_CHAT_IDS. */
    public record PreviewRequest(Long chatId) {}

    public record AudienceCount(String audience, Integer lapsedDays, long customers) {}

    private final Broadcasts broadcasts;
    private final BroadcastPreview preview;
    private final CurrentOperator operator;

    public AdminBroadcastsResource(Broadcasts broadcasts, BroadcastPreview preview, CurrentOperator operator) {
        this.broadcasts = broadcasts;
        this.preview = preview;
        this.operator = operator;
    }

    @GET
    @Operation(summary = "Broadcasts, newest first (at most 100), each with its progress")
    public Uni<Items<Broadcast>> all() {
        return broadcasts.all().map(Items::new);
    }

    @GET
    @Path("audience")
    @Operation(
            summary = "How many customers an audience holds now",
            description = "audience: ALL (every customer who has written to the bot), BUYERS (a delivered order),"
                    + " LAPSED (no order delivered in the last lapsedDays days, never-buyers included). Customers who"
                    + " blocked the bot or sent /stop are never counted.")
    public Uni<AudienceCount> audience(
            @QueryParam("audience") String audience, @QueryParam("lapsedDays") Integer lapsedDays) {
        return broadcasts
                .audienceCount(audience, lapsedDays)
                .map(count -> new AudienceCount(audience, lapsedDays, count));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One broadcast with its progress: sent, failed, unknown, blocked, skipped, cancelled, left")
    public Uni<Broadcast> one(@PathParam("id") long id) {
        return broadcasts.find(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Write a broadcast (a draft)",
            description = "texts: one per language the bot speaks ({\"en\": ..., \"zh\": ...}, each at most 4096"
                    + " characters); audience: ALL, BUYERS or LAPSED (with lapsedDays). Nothing is sent until it is"
                    + " previewed and started.")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") NewBroadcast request) {
        return broadcasts
                .create(request, operator.audit())
                .map(created -> Response.created(URI.create("/admin/broadcasts/" + created.id()))
                        .entity(created)
                        .build());
    }

    @POST
    @Path("{id}/preview")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Send a draft's texts to the operator's own Telegram chat",
            description = "One message per language to chatId (default: the first of OPERATOR_ALERT_CHAT_IDS), from the"
                    + " spare Telegram budget. A draft can be started only after a preview. 503 when the budget is busy"
                    + " with gifts or Telegram does not answer; 400 when Telegram refuses the chat.")
    public Uni<Broadcast> preview(@PathParam("id") long id, PreviewRequest request) {
        return preview.preview(id, request == null ? null : request.chatId(), operator.audit());
    }

    @POST
    @Path("{id}/start")
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Start sending a previewed draft",
            description = "Its recipients are the audience as it is now, fixed at the start. The worker sends from"
                    + " what gifts and notifications leave of the Telegram budget, each customer at most once. 409"
                    + " unless it is a previewed draft.")
    public Uni<Broadcast> start(@PathParam("id") long id) {
        return broadcasts.start(id, operator.audit());
    }

    @POST
    @Path("{id}/cancel")
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Cancel a draft or a running broadcast",
            description = "Messages not yet sent are cancelled; those already on their way settle. 409 when finished.")
    public Uni<Broadcast> cancel(@PathParam("id") long id) {
        return broadcasts.cancel(id, operator.audit());
    }
}
