package io.premiumbot.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.admin.AdminAuditResource.AuditView;
import io.premiumbot.api.admin.AdminPaymentsResource.PaymentView;
import io.premiumbot.api.admin.Views.AttemptView;
import io.premiumbot.api.admin.Views.LedgerEntryView;
import io.premiumbot.api.admin.Views.OrderDetail;
import io.premiumbot.api.admin.Views.OrderView;
import io.premiumbot.api.audit.AuditQueries;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.OrderOperations;
import io.premiumbot.api.orders.OrderOperations.Resolution;
import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.api.payments.UnmatchedPayments;
import io.premiumbot.api.queue.DeadLetters;
import io.premiumbot.api.sales.SalesQueries;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.order.OrderStatus;
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

/** What needs attention first, order search and an order's detail with the operator's actions on it. */
@Path("/console")
public class ConsoleOrders {

    /** A PAID order older than this has not moved: deliveries paused (Stars short) or its job was lost. */
    private static final Duration WAITING = Duration.ofMinutes(10);

    private static final int LIST = 50;

    private final ConsolePages pages;
    private final OrderQueries orders;
    private final OrderOperations operations;
    private final AuditQueries audit;
    private final DeadLetters deadLetters;
    private final UnmatchedPayments unmatched;
    private final CurrentOperator operator;
    private final SalesQueries sales;
    private final StarsAvailable starsAvailable;
    private final CustomerNames names;

    public ConsoleOrders(
            ConsolePages pages,
            OrderQueries orders,
            OrderOperations operations,
            AuditQueries audit,
            DeadLetters deadLetters,
            UnmatchedPayments unmatched,
            CurrentOperator operator,
            SalesQueries sales,
            StarsAvailable starsAvailable,
            CustomerNames names) {
        this.pages = pages;
        this.orders = orders;
        this.operations = operations;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.unmatched = unmatched;
        this.operator = operator;
        this.sales = sales;
        this.starsAvailable = starsAvailable;
        this.names = names;
    }

    /** Home: today's sales and the Stars available, then what needs attention. */
    @GET
    public Uni<Response> attention(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        // one after another: the reads share the request's database session
        return pages.show(
                headers,
                "/console",
                () -> sales.lastDays(1)
                        .flatMap(today -> starsAvailable.read().map(stars -> Summary.of(today, stars)))
                        .flatMap(summary -> list(OrderStatus.DELIVERY_UNKNOWN, null)
                                .flatMap(unknown -> list(OrderStatus.FAILED, null)
                                        .flatMap(failed -> list(
                                                        OrderStatus.PAID,
                                                        Instant.now().minus(WAITING))
                                                .flatMap(waiting -> deadLetters
                                                        .list(LIST)
                                                        .flatMap(dead -> unmatched
                                                                .list(LIST)
                                                                .flatMap(payments -> names.of(
                                                                                customers(unknown, failed, waiting))
                                                                        .map(people -> ConsoleTemplates.attention(
                                                                                page,
                                                                                summary,
                                                                                people,
                                                                                unknown,
                                                                                failed,
                                                                                waiting,
                                                                                dead,
                                                                                payments.stream()
                                                                                        .map(PaymentView::of)
                                                                                        .toList())))))))));
    }

    @GET
    @Path("orders")
    public Uni<Response> search(
            @QueryParam("status") String status, @QueryParam("user") String user, @Context HttpHeaders headers) {
        Page page = pages.page(headers, null);
        return pages.show(headers, "/console/orders", () -> {
            OrderStatus wanted = status == null || status.isBlank()
                    ? null
                    : OrderStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            Long userId = user == null || user.isBlank() ? null : Long.parseLong(user.strip());
            return orders.search(new OrderQueries.Search(wanted, userId, null, null, 100))
                    .map(found -> found.stream().map(OrderView::of).toList())
                    .flatMap(found -> names.of(customers(found))
                            .map(people -> ConsoleTemplates.orders(page, found, status, user, people)));
        });
    }

    @GET
    @Path("orders/{id}")
    public Uni<Response> detail(
            @PathParam("id") String id, @QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console/orders",
                () -> orders.detail(id)
                        .flatMap(detail -> orders.retryUnavailable(id)
                                .flatMap(why -> audit.search(
                                                new AuditQueries.Search("order:" + id, null, null, null, 100))
                                        .flatMap(entries -> names.of(
                                                        List.of(detail.order().buyerId, detail.order().recipientId))
                                                .map(people -> ConsoleTemplates.order(
                                                        page,
                                                        view(detail),
                                                        entries.stream()
                                                                .map(AuditView::of)
                                                                .toList(),
                                                        why.orElse(null),
                                                        people))))));
    }

    @POST
    @Path("orders/{id}/resolve")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> resolve(
            @PathParam("id") String id,
            @RestForm("_csrf") String csrf,
            @RestForm("resolution") String resolution,
            @Context HttpHeaders headers) {
        return pages.act(
                csrf, headers, back(id), () -> operations.resolve(id, resolution(resolution), operator.audit()));
    }

    @POST
    @Path("orders/{id}/retry")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> retry(
            @PathParam("id") String id, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, back(id), () -> operations.retry(id, operator.audit()));
    }

    @POST
    @Path("orders/{id}/refund")
    @Allowed(Role.OPERATOR)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> refund(
            @PathParam("id") String id, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, back(id), () -> operations.refund(id, operator.audit()));
    }

    /** Everyone the listed orders name: their buyers and recipients. */
    @SafeVarargs
    static List<Long> customers(List<OrderView>... lists) {
        List<Long> ids = new ArrayList<>();
        for (List<OrderView> list : lists) {
            for (OrderView order : list) {
                ids.add(order.buyerId());
                ids.add(order.recipientId());
            }
        }
        return ids;
    }

    private Uni<List<OrderView>> list(OrderStatus status, Instant before) {
        return orders.search(new OrderQueries.Search(status, null, null, before, LIST))
                .map(list -> list.stream().map(OrderView::of).toList());
    }

    private static Resolution resolution(String value) {
        try {
            return Resolution.valueOf(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resolution must be DELIVERED, NOT_DELIVERED or FAILED");
        }
    }

    private static String back(String id) {
        if (!OrderIds.isWellFormed(id)) {
            throw new IllegalArgumentException(OrderIds.RULE);
        }
        return "/console/orders/" + id;
    }

    static OrderDetail view(OrderQueries.Detail detail) {
        return OrderDetail.of(
                OrderView.of(detail.order()),
                detail.attempts().stream().map(AttemptView::of).toList(),
                detail.ledgerEntries().stream().map(LedgerEntryView::of).toList());
    }
}
