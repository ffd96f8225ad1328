package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.queue.DeadLetters;
import io.premiumbot.api.queue.DeadLetters.DeadJob;
import io.premiumbot.api.support.Problem;
import io.premiumbot.model.order.OrderIds;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/admin/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@SecurityRequirement(name = "operator")
public class AdminJobsResource {

    public record Requeued(String orderId, int removedFromDeadList) {}

    private final DeadLetters deadLetters;
    private final CurrentOperator operator;

    public AdminJobsResource(DeadLetters deadLetters, CurrentOperator operator) {
        this.deadLetters = deadLetters;
        this.operator = operator;
    }

    @GET
    @Path("dead")
    @Operation(summary = "Delivery jobs that ran out of attempts or could not be read")
    public Uni<Items<DeadJob>> dead(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return deadLetters.list(limit).map(Items::new);
    }

    @POST
    @Path("dead/{orderId}/requeue")
    @Allowed(Role.OPERATOR)
    @Operation(
            summary = "Move an order's dead jobs back to the ready list as one fresh job; an order that FAILED "
                    + "because its attempts ran out is PAID again first")
    public Uni<Response> requeue(
            @PathParam("orderId") @Pattern(regexp = OrderIds.PATTERN, message = OrderIds.RULE) String orderId) {
        return deadLetters
                .requeue(orderId, operator.audit())
                .map(moved -> moved == 0
                        ? Problem.response(Response.Status.NOT_FOUND, "no dead job for order " + orderId)
                        : Response.ok(new Requeued(orderId, moved)).build());
    }
}
