package io.premiumbot.api.admin;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.payments.UnmatchedPayments;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/payments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "payments")
@SecurityRequirement(name = "operator")
public class AdminPaymentsResource {

    public record PaymentView(
            long id,
            String provider,
            String externalId,
            String currency,
            Money amount,
            String fromAddress,
            Long userId,
            String status,
            Instant occurredAt,
            Instant createdAt) {

        public static PaymentView of(Payment payment) {
            return new PaymentView(
                    payment.id,
                    payment.provider,
                    payment.externalId,
                    payment.currency,
                    Money.ofMicros(payment.amountMicros),
                    payment.fromAddress,
                    payment.userId,
                    payment.status.name(),
                    payment.occurredAt,
                    payment.createdAt);
        }
    }

    /** Whose wallet an unmatched payment belongs in. */
    public record AssignRequest(
            @NotNull(message = "is required") @Positive Long telegramId) {}

    private final UnmatchedPayments unmatchedPayments;
    private final CurrentOperator operator;

    public AdminPaymentsResource(UnmatchedPayments unmatchedPayments, CurrentOperator operator) {
        this.unmatchedPayments = unmatchedPayments;
        this.operator = operator;
    }

    @GET
    @Path("unmatched")
    @Operation(summary = "Incoming transfers no user or request could be matched to, newest first")
    public Uni<Items<PaymentView>> unmatched(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return unmatchedPayments
                .list(limit)
                .map(list -> new Items<>(list.stream().map(PaymentView::of).toList()));
    }

    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(summary = "Credit an unmatched payment to a user's wallet (once: 409 when it is no longer unmatched)")
    public Uni<PaymentView> assign(
            @PathParam("id") long id, @Valid @NotNull(message = "a JSON body is required") AssignRequest request) {
        return unmatchedPayments
                .assign(id, request.telegramId(), operator.audit())
                .map(PaymentView::of);
    }
}
