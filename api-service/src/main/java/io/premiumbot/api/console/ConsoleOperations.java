package io.premiumbot.api.console;

import java.util.Objects;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.admin.AdminAuditResource.AuditView;
import io.premiumbot.api.admin.AdminPaymentsResource.PaymentView;
import io.premiumbot.api.admin.Views.PriceView;
import io.premiumbot.api.audit.AuditQueries;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.Prices;
import io.premiumbot.api.payments.BotStars;
import io.premiumbot.api.payments.StarSupply;
import io.premiumbot.api.payments.UnmatchedPayments;
import io.premiumbot.api.queue.DeadLetters;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.OrderIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Prices, unmatched payments, dead letters, the audit log and the bot's Stars (with the treasury's part). */
@Path("/console")
public class ConsoleOperations {

    private final ConsolePages pages;
    private final Prices prices;
    private final UnmatchedPayments unmatched;
    private final DeadLetters deadLetters;
    private final AuditQueries audit;
    private final BotStars stars;
    private final StarSupply supply;
    private final CurrentOperator operator;
    private final TreasuryBlocks treasury;
    private final CustomerNames names;

    public ConsoleOperations(
            ConsolePages pages,
            Prices prices,
            UnmatchedPayments unmatched,
            DeadLetters deadLetters,
            AuditQueries audit,
            BotStars stars,
            StarSupply supply,
            CurrentOperator operator,
            TreasuryBlocks treasury,
            CustomerNames names) {
        this.supply = supply;
        this.treasury = treasury;
        this.pages = pages;
        this.prices = prices;
        this.unmatched = unmatched;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.stars = stars;
        this.operator = operator;
        this.names = names;
    }

    @GET
    @Path("prices")
    public Uni<Response> prices(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console",
                () -> prices.all()
                        .map(list -> ConsoleTemplates.prices(
                                page, list.stream().map(PriceView::of).toList())));
    }

    @POST
    @Path("prices/{months}")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> setPrice(
            @PathParam("months") int months,
            @RestForm("_csrf") String csrf,
            @RestForm("price") String price,
            @RestForm("stars") String stars,
            @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/prices", () -> {
            Months duration =
                    Months.of(months).orElseThrow(() -> new IllegalArgumentException("months must be 3, 6 or 12"));
            return prices.update(
                    duration, blank(price) ? null : Money.parse(price.strip()), starsOf(stars), operator.audit());
        });
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A whole number of Stars, or null when left empty. */
    private static Integer starsOf(String value) {
        if (blank(value)) {
            return null;
        }
        if (!value.strip().matches("\\d{1,9}")) {
            throw new IllegalArgumentException("stars must be a whole number, not " + value.strip());
        }
        return Integer.valueOf(value.strip());
    }

    @GET
    @Path("payments")
    public Uni<Response> payments(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console",
                () -> unmatched
                        .list(200)
                        .map(list -> list.stream().map(PaymentView::of).toList())
                        .flatMap(list -> names.of(list.stream()
                                        .map(PaymentView::userId)
                                        .filter(Objects::nonNull)
                                        .toList())
                                .map(people -> ConsoleTemplates.payments(page, list, people))));
    }

    @POST
    @Path("payments/{id}/assign")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> assign(
            @PathParam("id") long id,
            @RestForm("_csrf") String csrf,
            @RestForm("telegramId") String telegramId,
            @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/payments", () -> {
            long user = Long.parseLong(telegramId == null ? "" : telegramId.strip());
            return unmatched.assign(id, user, operator.audit());
        });
    }

    @GET
    @Path("jobs")
    public Uni<Response> jobs(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers, "/console", () -> deadLetters.list(200).map(list -> ConsoleTemplates.jobs(page, list)));
    }

    @POST
    @Path("jobs/{orderId}/requeue")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> requeue(
            @PathParam("orderId") String orderId, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        var by = operator.audit();
        return pages.act(csrf, headers, "/console/jobs", () -> {
            if (!OrderIds.isWellFormed(orderId)) {
                throw new IllegalArgumentException(OrderIds.RULE);
            }
            return deadLetters.requeue(orderId, by).invoke(moved -> {
                if (moved == 0) {
                    throw new ConflictException("no dead job for order " + orderId);
                }
            });
        });
    }

    @GET
    @Path("audit")
    public Uni<Response> audit(
            @QueryParam("target") String target,
            @QueryParam("operator") String operatorName,
            @Context HttpHeaders headers) {
        Page page = pages.page(headers, null);
        return pages.show(
                headers,
                "/console",
                () -> audit.search(new AuditQueries.Search(target, operatorName, null, null, 200))
                        .map(list -> list.stream().map(AuditView::of).toList())
                        .flatMap(list -> names.of(list.stream()
                                        .map(entry -> CustomerNames.userIn(entry.target()))
                                        .filter(Objects::nonNull)
                                        .toList())
                                .map(people -> ConsoleTemplates.audit(page, list, target, operatorName, people))));
    }

    @GET
    @Path("stars")
    public Uni<Response> stars(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console",
                () -> Panache.withSession(supply::view)
                        .flatMap(view -> stars.overview(50)
                                .flatMap(overview -> treasury.read()
                                        .map(block -> ConsoleTemplates.stars(page, view, overview, block)))));
    }
}
