package io.premiumbot.api.console;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.treasury.StarTopUps;
import io.premiumbot.api.treasury.StarTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The Stars page's writes: a top-up invoice to the operator's own Telegram account, an acknowledgement. */
@Path("/console")
public class ConsoleTreasury {

    private static final String BACK = "/console/stars";

    private final ConsolePages pages;
    private final StarTopUps topUps;
    private final StarTransactions transactions;
    private final CurrentOperator operator;

    public ConsoleTreasury(
            ConsolePages pages, StarTopUps topUps, StarTransactions transactions, CurrentOperator operator) {
        this.pages = pages;
        this.topUps = topUps;
        this.transactions = transactions;
        this.operator = operator;
    }

    @POST
    @Path("stars/top-ups")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> topUp(
            @RestForm("_csrf") String csrf, @RestForm("stars") String stars, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, BACK, () -> {
            long amount;
            try {
                amount = Long.parseLong(stars == null ? "" : stars.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stars must be a whole number of Stars");
            }
            return topUps.invoice(operator.account(), operator.audit(), amount);
        });
    }

    @POST
    @Path("stars/transactions/{id}/acknowledge")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> acknowledge(
            @PathParam("id") long id,
            @RestForm("_csrf") String csrf,
            @RestForm("note") String note,
            @Context HttpHeaders headers) {
        return pages.act(csrf, headers, BACK, () -> transactions.acknowledge(id, note, operator.audit()));
    }
}
