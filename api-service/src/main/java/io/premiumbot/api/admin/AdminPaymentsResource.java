package io.premiumbot.api.admin;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.Payment;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

    @GET
    @Path("unmatched")
    @WithSession
    @Operation(summary = "Incoming transfers no user or request could be matched to, newest first")
    public Uni<Items<PaymentView>> unmatched(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return Payment.<Payment>find("status", Sort.descending("createdAt"), Payment.Status.UNMATCHED)
                .page(Page.ofSize(limit)).list()
                .map(list -> new Items<>(list.stream().map(PaymentView::of).toList()));
    }
}
