package io.premiumbot.api.console;

import io.premiumbot.api.sales.Period;
import io.premiumbot.api.sales.SalesQueries;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Sales at a glance: a period's figures and charts, summed by PostgreSQL, drawn by the server. */
@Path("/console/sales")
public class ConsoleSales {

    private static final int DEFAULT_DAYS = 30;

    private final ConsolePages pages;
    private final SalesQueries sales;

    public ConsoleSales(ConsolePages pages, SalesQueries sales) {
        this.pages = pages;
        this.sales = sales;
    }

    @GET
    public Uni<Response> sales(@QueryParam("days") Integer days, @Context HttpHeaders headers) {
        Page page = pages.page(headers, null);
        return pages.show(headers, "/console", () -> {
            int period = days == null ? DEFAULT_DAYS : days;
            if (!Period.CHOICES.contains(period)) {
                throw new IllegalArgumentException("days: must be 7, 30 or 90");
            }
            GlanceMessages words = MessageBundles.get(GlanceMessages.class, Localized.Literal.of(page.lang()));
            return sales.lastDays(period)
                    .map(figures -> ConsoleTemplates.sales(page, SalesView.of(figures, words), Period.CHOICES));
        });
    }
}
