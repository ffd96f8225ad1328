package io.premiumbot.api.admin;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.payments.UnmatchedPayments;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.Payment;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

@Path("/admin/payments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "payments")
@SecurityRequirement(name = "operator")
public class AdminPaymentsResource {

    public record PaymentView(long id, String provider, String externalId, String currency, Money amount, String fromAddress,
            Long userId, String status, Instant occurredAt, Instant createdAt) {

        static PaymentView of(Payment payment) {
            return new PaymentView(payment.id, payment.provider, payment.externalId, payment.currency,
                    Money.ofMicros(payment.amountMicros), payment.fromAddress, payment.userId, payment.status.name(),
                    payment.occurredAt, payment.createdAt);
        }
    }

    /** Whose wallet an unmatched payment belongs in. */
    public record AssignRequest(@NotNull(message = "is required") @Positive Long telegramId) {
    }

    private final UnmatchedPayments unmatchedPayments;

    public AdminPaymentsResource(UnmatchedPayments unmatchedPayments) {
        this.unmatchedPayments = unmatchedPayments;
    }

    @GET
    @Path("unmatched")
    @WithSession
    @Operation(summary = "Incoming transfers no user or request could be matched to, newest first")
    public Uni<Items<PaymentView>> unmatched(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return Payment.<Payment>find("status", Sort.descending("createdAt"), Payment.Status.UNMATCHED)
                .page(Page.ofSize(limit)).list()
                .map(list -> new Items<>(list.stream().map(PaymentView::of).toList()));
    }

    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Credit an unmatched payment to a user's wallet (once: 409 when it is no longer unmatched)")
    public Uni<PaymentView> assign(@PathParam("id") long id, @Valid @NotNull(message = "a JSON body is required") AssignRequest request,
            @HeaderParam("X-Operator") @Size(max = 64) String operatorName, @Context HttpServerRequest http) {
        return unmatchedPayments.assign(id, request.telegramId(), Operators.of(operatorName, http)).map(PaymentView::of);
    }
}
