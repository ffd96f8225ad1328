package io.premiumbot.api.admin;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.premiumbot.api.admin.Views.Items;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.treasury.StarTopUp;
import io.premiumbot.api.treasury.StarTopUps;
import io.premiumbot.api.treasury.StarTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The Star treasury: every Star transaction imported and classified, acknowledgements, and operators' top-ups. */
@Path("/admin/treasury")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stars")
@SecurityRequirement(name = "operator")
public class AdminStarTreasuryResource {

    public record TopUpRequest(
            @NotNull(message = "is required: the Stars to ask for")
            Long stars) {}

    public record AcknowledgeRequest(
            @NotNull(message = "is required: say what the movement was")
            String note) {}

    public record TopUpView(
            long id,
            String operator,
            long telegramId,
            int stars,
            String status,
            Instant createdAt,
            Instant expiresAt,
            Instant paidAt) {

        static TopUpView of(StarTopUp topUp) {
            return new TopUpView(
                    topUp.id(),
                    topUp.operator(),
                    topUp.telegramId(),
                    topUp.stars(),
                    topUp.status(),
                    topUp.createdAt(),
                    topUp.expiresAt(),
                    topUp.paidAt());
        }
    }

    /** {@code stars} signed: positive came in, negative went out. */
    public record TransactionView(
            long id,
            String transactionId,
            long stars,
            int nanostars,
            String partner,
            String transactionType,
            Long userId,
            Instant madeAt,
            @JsonProperty("class") String kind,
            boolean explained,
            String orderId,
            Long topUpId,
            String acknowledgedBy,
            Instant acknowledgedAt,
            String acknowledgement) {

        static TransactionView of(StarTransactions.Listed t) {
            return new TransactionView(
                    t.id(),
                    t.transactionId(),
                    t.signedStars(),
                    t.nanostars(),
                    t.partner(),
                    t.transactionType(),
                    t.userId(),
                    t.madeAt(),
                    t.kind().name(),
                    t.explained(),
                    t.orderId(),
                    t.topUpId(),
                    t.acknowledgedBy(),
                    t.acknowledgedAt(),
                    t.acknowledgement());
        }
    }

    private final StarTransactions transactions;
    private final StarTopUps topUps;
    private final CurrentOperator operator;

    public AdminStarTreasuryResource(StarTransactions transactions, StarTopUps topUps, CurrentOperator operator) {
        this.transactions = transactions;
        this.topUps = topUps;
        this.operator = operator;
    }

    @GET
    @Path("transactions")
    @Operation(
            summary =
                    "The bot's Star transactions as imported from Telegram and classified (CUSTOMER_PAYMENT, TOP_UP, GIFT, REFUND are explained by our records; any other class is not), newest first; unexplained=true: only the unexplained ones no operator acknowledged yet")
    public Uni<Items<TransactionView>> transactions(
            @QueryParam("unexplained") @DefaultValue("false") boolean unexplained,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return transactions
                .list(unexplained, limit)
                .map(list -> new Items<>(list.stream().map(TransactionView::of).toList()));
    }

    @POST
    @Path("transactions/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(
            summary =
                    "Acknowledge an unexplained Star transaction with a note (audited): it leaves the unexplained gauge and its alert. 409 for one our records explain or already acknowledged")
    public Uni<Response> acknowledge(
            @PathParam("id") long id, @Valid @NotNull(message = "a JSON body is required") AcknowledgeRequest request) {
        return transactions
                .acknowledge(id, request.note(), operator.audit())
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path("top-ups")
    @Operation(summary = "The latest Stars top-ups, newest first")
    public Uni<Items<TopUpView>> topUps(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return topUps.recent(limit)
                .map(list -> new Items<>(list.stream().map(TopUpView::of).toList()));
    }

    @POST
    @Path("top-ups")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPERATOR)
    @Operation(
            summary =
                    "Top up the bot's Stars: send the calling operator's own Telegram account (OPERATORS name:role:sha256hex:telegramId) an invoice in Stars (XTR) for this many Stars; paid, it is recorded as a top-up (never an order, no wallet credit). 400 outside STARS_TOP_UP_MIN..STARS_TOP_UP_MAX, 422 without a Telegram id, 503 when Telegram can't be asked")
    public Uni<Response> topUp(@Valid @NotNull(message = "a JSON body is required") TopUpRequest request) {
        return topUps.invoice(operator.account(), operator.audit(), request.stars())
                .map(topUp -> Response.status(Response.Status.CREATED)
                        .entity(TopUpView.of(topUp))
                        .build());
    }
}
