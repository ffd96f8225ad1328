package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.queue.DeadLetters;
import io.premiumbot.api.queue.DeadLetters.DeadJob;
import io.premiumbot.api.support.Problem;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.OrderTransitions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/admin/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@SecurityRequirement(name = "operator")
public class AdminJobsResource {

    public record Requeued(String orderId, int removedFromDeadList) {
    }

    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final OrderTransitions transitions;

    public AdminJobsResource(DeadLetters deadLetters, AuditLog audit, OrderTransitions transitions) {
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.transitions = transitions;
    }

    @GET
    @Path("dead")
    @Operation(summary = "Delivery jobs that ran out of attempts or could not be read")
    public Uni<Items<DeadJob>> dead(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return deadLetters.list(limit).map(Items::new);
    }

    @POST
    @Path("dead/{orderId}/requeue")
    @Operation(summary = "Move an order's dead jobs back to the ready list as one fresh job; an order that FAILED "
            + "because its attempts ran out is PAID again first")
    public Uni<Response> requeue(@PathParam("orderId") @Pattern(regexp = "[A-Z0-9]{1,12}", message = "order ids are upper-case letters and digits") String orderId,
            @HeaderParam("X-Operator") @Size(max = 64) String operatorName, @Context HttpServerRequest http) {
        Operator operator = Operators.of(operatorName, http);
        // the order is reopened (committed) before its job is pushed, so the worker never finds it still FAILED
        return deadLetters.holds(orderId).flatMap(held -> !held
                ? Uni.createFrom().item(Problem.response(Response.Status.NOT_FOUND, "no dead job for order " + orderId))
                : Panache.withTransaction(() -> transitions.move(orderId, OrderStatus.FAILED, OrderStatus.PAID)
                                .call(reopened -> audit.record("job.requeue", "order:" + orderId, operator, "reopened=" + reopened)))
                        .chain(() -> deadLetters.requeue(orderId))
                        .map(moved -> Response.ok(new Requeued(orderId, moved)).build()));
    }
}
