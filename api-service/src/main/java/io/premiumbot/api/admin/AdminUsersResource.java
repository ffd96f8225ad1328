package io.premiumbot.api.admin;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.AdjustmentView;
import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.admin.Views.LedgerEntryView;
import io.premiumbot.api.admin.Views.UserView;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.wallet.WalletService;
import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@SecurityRequirement(name = "operator")
public class AdminUsersResource {

    /** {@code amount} signed: positive credits, negative debits. */
    public record AdjustmentRequest(
            @NotNull(message = "is required") Money amount,

            @NotBlank(message = "is required") @Size(max = 128)
            String reason) {}

    private final WalletService wallet;
    private final CurrentOperator operator;

    public AdminUsersResource(WalletService wallet, CurrentOperator operator) {
        this.wallet = wallet;
        this.operator = operator;
    }

    @GET
    @Operation(summary = "Find users by Telegram id (exact) or @username (prefix, any case), most recently seen first")
    public Uni<Items<UserView>> search(
            @QueryParam("q") @NotBlank(message = "is required: a Telegram id or @username") @Size(max = 64)
                    String query,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return wallet.search(query, limit)
                .map(users -> new Items<>(users.stream().map(UserView::of).toList()));
    }

    @GET
    @Path("{telegramId}")
    @Operation(summary = "A user with the wallet balance")
    public Uni<UserView> user(@PathParam("telegramId") long telegramId) {
        return wallet.user(telegramId).map(UserView::of);
    }

    @GET
    @Path("{telegramId}/ledger")
    @Operation(summary = "The user's ledger, newest first (debits negative)")
    public Uni<Items<LedgerEntryView>> ledger(
            @PathParam("telegramId") long telegramId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return wallet.ledger(telegramId, limit)
                .map(entries ->
                        new Items<>(entries.stream().map(LedgerEntryView::of).toList()));
    }

    @POST
    @Path("{telegramId}/adjustments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    @Operation(summary = "Credit or debit a wallet by hand, with a reason; replay-safe with an Idempotency-Key header")
    public Uni<Response> adjust(
            @PathParam("telegramId") long telegramId,
            @Valid @NotNull(message = "a JSON body is required") AdjustmentRequest request,
            @HeaderParam("Idempotency-Key") @Size(max = 100) String idempotencyKey) {
        if (request.amount().micros() == 0) {
            throw new IllegalArgumentException("amount: must not be zero");
        }
        String key = idempotencyKey == null || idempotencyKey.isBlank()
                ? UUID.randomUUID().toString()
                : idempotencyKey;
        return wallet.adjust(telegramId, request.amount(), request.reason(), key, operator.audit())
                .map(adjustment -> Response.status(adjustment.replayed() ? Response.Status.OK : Response.Status.CREATED)
                        .entity(new AdjustmentView(LedgerEntryView.of(adjustment.entry()), adjustment.replayed()))
                        .build());
    }
}
