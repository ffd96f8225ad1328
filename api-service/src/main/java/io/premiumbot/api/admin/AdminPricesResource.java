package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.admin.Views.PriceView;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/prices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "prices")
@SecurityRequirement(name = "operator")
public class AdminPricesResource {

    /** Either or both: the USDT price, the customer's Stars price (1 to 100000 Stars); what is left out stays. */
    public record PriceRequest(Money price, Integer stars) {}

    private final Prices prices;
    private final CurrentOperator operator;

    public AdminPricesResource(Prices prices, CurrentOperator operator) {
        this.prices = prices;
        this.operator = operator;
    }

    @GET
    @Operation(
            summary =
                    "Prices per month count: USDT and the customer's Stars price, with the gift's Stars cost (Telegram's)")
    public Uni<Items<PriceView>> all() {
        return prices.all()
                .map(list -> new Items<>(list.stream().map(PriceView::of).toList()));
    }

    @PUT
    @Path("{months}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Set the USDT and/or Stars price of 3, 6 or 12 months; orders and confirmations already made keep"
                    + " their prices")
    public Uni<PriceView> set(
            @PathParam("months") int months,
            @Valid @NotNull(message = "a JSON body is required") PriceRequest request) {
        Months duration =
                Months.of(months).orElseThrow(() -> new IllegalArgumentException("months must be 3, 6 or 12"));
        return prices.update(duration, request.price(), request.stars(), operator.audit())
                .map(PriceView::of);
    }
}
