package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.admin.Views.PriceView;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/prices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "prices")
@SecurityRequirement(name = "operator")
public class AdminPricesResource {

    public record PriceRequest(@NotNull(message = "is required") Money price) {
    }

    private final Prices prices;

    public AdminPricesResource(Prices prices) {
        this.prices = prices;
    }

    @GET
    @Operation(summary = "USDT prices per month count, with Telegram's fixed Stars cost")
    public Uni<Items<PriceView>> all() {
        return prices.all().map(list -> new Items<>(list.stream().map(PriceView::of).toList()));
    }

    @PUT
    @Path("{months}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the USDT price of 3, 6 or 12 months; orders already made keep their price")
    public Uni<PriceView> set(@PathParam("months") int months, @Valid @NotNull(message = "a JSON body is required") PriceRequest request,
            @HeaderParam("X-Operator") @Size(max = 64) String operatorName, @Context HttpServerRequest http) {
        Months duration = Months.of(months).orElseThrow(() -> new IllegalArgumentException("months must be 3, 6 or 12"));
        return prices.update(duration, request.price(), Operators.of(operatorName, http)).map(PriceView::of);
    }
}
