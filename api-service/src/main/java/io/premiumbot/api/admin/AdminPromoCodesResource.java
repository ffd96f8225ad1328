package io.premiumbot.api.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.promo.PromoCode;
import io.premiumbot.api.promo.PromoCodeCatalog;
import io.premiumbot.api.promo.PromoCodeCatalog.NewPromoCode;
import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/admin/promo-codes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "promo codes")
@SecurityRequirement(name = "operator")
public class AdminPromoCodesResource {

    /**
     * A code as the operator reads it; {@code uses} counts live uses (a refunded or expired order gave its back),
     * {@code discountGiven} is their total discount in USDT.
     */
    public record PromoCodeView(
            String code,
            Integer percentOff,
            Money amountOff,
            List<Integer> months,
            Instant validFrom,
            Instant validUntil,
            Integer maxUses,
            int uses,
            String status,
            Money discountGiven,
            Instant disabledAt,
            String createdBy,
            Instant createdAt) {

        public static PromoCodeView of(PromoCodeCatalog.Listed listed) {
            PromoCode code = listed.code();
            return new PromoCodeView(
                    code.code(),
                    code.percentOff(),
                    code.amountOff(),
                    code.months().stream().map(m -> m.count()).toList(),
                    code.validFrom(),
                    code.validUntil(),
                    code.maxUses(),
                    code.uses(),
                    code.status(Instant.now()).name(),
                    listed.discountGiven(),
                    code.disabledAt(),
                    code.createdBy(),
                    code.createdAt());
        }
    }

    private final PromoCodeCatalog catalog;
    private final CurrentOperator operator;

    public AdminPromoCodesResource(PromoCodeCatalog catalog, CurrentOperator operator) {
        this.catalog = catalog;
        this.operator = operator;
    }

    @GET
    @Operation(summary = "Promo codes, newest first, with their uses and the discount they have given")
    public Uni<Items<PromoCodeView>> all() {
        return catalog.all()
                .map(list -> new Items<>(list.stream().map(PromoCodeView::of).toList()));
    }

    @GET
    @Path("{code}")
    @Operation(summary = "One promo code (any case)")
    public Uni<PromoCodeView> one(@PathParam("code") String code) {
        return catalog.find(code).map(PromoCodeView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(
            summary = "Create a promo code",
            description = "code: 3-32 letters, digits, '-' or '_' (stored upper-case, matched in any case); exactly one"
                    + " of percentOff (1-99) and amountOff (USDT); months: the plans it is for; validFrom/validUntil"
                    + " optional; maxUses: the total cap (none: no cap). Each customer may use a code once. 409 when"
                    + " the code exists.")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") NewPromoCode request) {
        return catalog.create(request, operator.audit())
                .map(PromoCodeView::of)
                .map(view -> Response.created(URI.create("/admin/promo-codes/" + view.code()))
                        .entity(view)
                        .build());
    }

    @POST
    @Path("{code}/disable")
    @Allowed(Role.ADMIN)
    @Operation(summary = "Stop a promo code for new purchases; uses already booked stay. Twice is the same as once")
    public Uni<PromoCodeView> disable(@PathParam("code") String code) {
        return catalog.disable(code, operator.audit()).map(PromoCodeView::of);
    }
}
