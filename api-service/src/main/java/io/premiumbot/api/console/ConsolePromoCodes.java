package io.premiumbot.api.console;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.admin.AdminPromoCodesResource.PromoCodeView;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.promo.PromoCodeCatalog;
import io.premiumbot.api.promo.PromoCodeCatalog.NewPromoCode;
import io.premiumbot.model.money.Money;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
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

/** Promo codes: the list with uses and what each has cost, the create form and disable (admins). */
@Path("/console/promo-codes")
@TemplateData(target = PromoCodeView.class)
public class ConsolePromoCodes {

    @CheckedTemplate(basePath = "console")
    static final class Templates {
        private Templates() {}

        static native TemplateInstance promoCodes(Page page, List<PromoCodeView> codes);
    }

    private final ConsolePages pages;
    private final PromoCodeCatalog catalog;
    private final CurrentOperator operator;

    public ConsolePromoCodes(ConsolePages pages, PromoCodeCatalog catalog, CurrentOperator operator) {
        this.pages = pages;
        this.catalog = catalog;
        this.operator = operator;
    }

    @GET
    public Uni<Response> list(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console",
                () -> catalog.all()
                        .map(codes -> Templates.promoCodes(
                                page, codes.stream().map(PromoCodeView::of).toList())));
    }

    @POST
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(
            @RestForm("_csrf") String csrf,
            @RestForm("code") String code,
            @RestForm("percentOff") String percentOff,
            @RestForm("amountOff") String amountOff,
            @RestForm("months") List<String> months,
            @RestForm("validFrom") String validFrom,
            @RestForm("validUntil") String validUntil,
            @RestForm("maxUses") String maxUses,
            @Context HttpHeaders headers) {
        return pages.act(
                csrf,
                headers,
                "/console/promo-codes",
                () -> catalog.create(
                        new NewPromoCode(
                                code,
                                number("percentOff", percentOff),
                                blank(amountOff) ? null : Money.parse(amountOff.strip()),
                                months == null
                                        ? List.of()
                                        : months.stream()
                                                .map(m -> number("months", m))
                                                .toList(),
                                instant("validFrom", validFrom),
                                instant("validUntil", validUntil),
                                number("maxUses", maxUses)),
                        operator.audit()));
    }

    @POST
    @Path("{code}/disable")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> disable(
            @PathParam("code") String code, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/promo-codes", () -> catalog.disable(code, operator.audit()));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Integer number(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": must be a whole number");
        }
    }

    /** A browser's {@code datetime-local} value, read as UTC. */
    private static Instant instant(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": must be a date and time, e.g. 2027-01-31T23:59");
        }
    }
}
