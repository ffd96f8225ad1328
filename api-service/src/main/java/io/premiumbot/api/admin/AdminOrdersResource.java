package io.premiumbot.api.admin;

import java.util.Arrays;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.AttemptView;
import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.admin.Views.LedgerEntryView;
import io.premiumbot.api.admin.Views.OrderDetail;
import io.premiumbot.api.admin.Views.OrderView;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.OrderOperations;
import io.premiumbot.api.orders.OrderOperations.Resolution;
import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.order.OrderStatus;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders")
@SecurityRequirement(name = "operator")
public class AdminOrdersResource {

    private static final String ORDER_ID = OrderIds.PATTERN;
    private static final String ORDER_ID_MESSAGE = OrderIds.RULE;

    public record ResolveRequest(
            @NotNull(message = "is required: DELIVERED, NOT_DELIVERED or FAILED")
            Resolution resolution) {}

    private final OrderQueries orders;
    private final OrderOperations operations;
    private final CurrentOperator operator;

    public AdminOrdersResource(OrderQueries orders, OrderOperations operations, CurrentOperator operator) {
        this.orders = orders;
        this.operations = operations;
        this.operator = operator;
    }

    @GET
    @Operation(summary = "Search orders, newest first; filter by status, user (buyer or recipient) and creation time")
    public Uni<Items<OrderView>> search(
            @QueryParam("status") String status,
            @QueryParam("user") Long user,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        var search = new OrderQueries.Search(
                status(status), user, Instants.parse("from", from), Instants.parse("to", to), limit);
        return orders.search(search)
                .map(list -> new Items<>(list.stream().map(OrderView::of).toList()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One order with its delivery attempts and ledger entries")
    public Uni<OrderDetail> detail(@PathParam("id") @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE) String id) {
        return orders.detail(id).map(AdminOrdersResource::view);
    }

    @POST
    @Path("{id}/refund")
    @Allowed(Role.OPERATOR)
    @Operation(
            summary =
                    "Refund a FAILED order, or one stuck in PAID, in the currency paid, once: USDT back to the wallet (→ REFUNDED); Stars through the worker's Stars refund (stays FAILED until Telegram confirmed it)")
    public Uni<OrderDetail> refund(@PathParam("id") @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE) String id) {
        return operations
                .refund(id, operator.audit())
                .flatMap(order -> orders.detail(id))
                .map(AdminOrdersResource::view);
    }

    @POST
    @Path("{id}/retry")
    @Allowed(Role.OPERATOR)
    @Operation(summary = "FAILED → PAID: deliver again")
    public Uni<OrderDetail> retry(@PathParam("id") @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE) String id) {
        return operations
                .retry(id, operator.audit())
                .flatMap(order -> orders.detail(id))
                .map(AdminOrdersResource::view);
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Decide a DELIVERY_UNKNOWN order: DELIVERED, NOT_DELIVERED (deliver again) or FAILED")
    public Uni<OrderDetail> resolve(
            @PathParam("id") @Pattern(regexp = ORDER_ID, message = ORDER_ID_MESSAGE) String id,
            @Valid @NotNull(message = "a JSON body is required") ResolveRequest request) {
        return operations
                .resolve(id, request.resolution(), operator.audit())
                .flatMap(order -> orders.detail(id))
                .map(AdminOrdersResource::view);
    }

    private static OrderDetail view(OrderQueries.Detail detail) {
        return OrderDetail.of(
                OrderView.of(detail.order()),
                detail.attempts().stream().map(AttemptView::of).toList(),
                detail.ledgerEntries().stream().map(LedgerEntryView::of).toList());
    }

    private static OrderStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(status.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of " + Arrays.toString(OrderStatus.values()));
        }
    }
}
