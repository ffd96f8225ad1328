package io.premiumbot.api.console;

import java.util.List;
import java.util.UUID;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.admin.AdminAuditResource.AuditView;
import io.premiumbot.api.admin.Views.LedgerEntryView;
import io.premiumbot.api.admin.Views.OrderView;
import io.premiumbot.api.admin.Views.UserView;
import io.premiumbot.api.audit.AuditQueries;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.OrderQueries;
import io.premiumbot.api.wallet.WalletService;
import io.premiumbot.model.money.Money;
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

/** Customers: search, a wallet with its ledger, orders and audit, and the adjustment form (admins). */
@Path("/console/users")
public class ConsoleWallets {

    private final ConsolePages pages;
    private final WalletService wallet;
    private final OrderQueries orders;
    private final AuditQueries audit;
    private final CurrentOperator operator;
    private final CustomerNames names;

    public ConsoleWallets(
            ConsolePages pages,
            WalletService wallet,
            OrderQueries orders,
            AuditQueries audit,
            CurrentOperator operator,
            CustomerNames names) {
        this.pages = pages;
        this.wallet = wallet;
        this.orders = orders;
        this.audit = audit;
        this.operator = operator;
        this.names = names;
    }

    @GET
    public Uni<Response> search(@QueryParam("q") String query, @Context HttpHeaders headers) {
        Page page = pages.page(headers, null);
        return pages.show(
                headers,
                "/console/users",
                () -> query == null || query.isBlank()
                        ? Uni.createFrom().item(ConsoleTemplates.users(page, java.util.List.of(), ""))
                        : wallet.search(query, 50)
                                .map(users -> ConsoleTemplates.users(
                                        page, users.stream().map(UserView::of).toList(), query)));
    }

    @GET
    @Path("{telegramId}")
    public Uni<Response> user(
            @PathParam("telegramId") long telegramId,
            @QueryParam("notice") String notice,
            @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console/users",
                () -> wallet.user(telegramId)
                        .flatMap(user -> wallet.ledger(telegramId, 100)
                                .flatMap(ledger -> orders.search(
                                                new OrderQueries.Search(null, telegramId, null, null, 50))
                                        .flatMap(found -> audit.search(new AuditQueries.Search(
                                                        "user:" + telegramId, null, null, null, 50))
                                                .flatMap(entries -> {
                                                    List<OrderView> views = found.stream()
                                                            .map(OrderView::of)
                                                            .toList();
                                                    List<Long> named = ConsoleOrders.customers(views);
                                                    named.add(telegramId);
                                                    return names.of(named)
                                                            .map(people -> ConsoleTemplates.user(
                                                                    page,
                                                                    UserView.of(user),
                                                                    ledger.stream()
                                                                            .map(LedgerEntryView::of)
                                                                            .toList(),
                                                                    views,
                                                                    entries.stream()
                                                                            .map(AuditView::of)
                                                                            .toList(),
                                                                    UUID.randomUUID()
                                                                            .toString(),
                                                                    people));
                                                })))));
    }

    /** The form carries a key made when the page was drawn: submitting it twice credits once. */
    @POST
    @Path("{telegramId}/adjust")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> adjust(
            @PathParam("telegramId") long telegramId,
            @RestForm("_csrf") String csrf,
            @RestForm("amount") String amount,
            @RestForm("reason") String reason,
            @RestForm("key") String key,
            @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/users/" + telegramId, () -> {
            Money money = Money.parse(amount == null ? "" : amount.strip());
            if (money.micros() == 0) {
                throw new IllegalArgumentException("amount: must not be zero");
            }
            if (reason == null || reason.isBlank() || reason.length() > 128) {
                throw new IllegalArgumentException("reason: is required (at most 128 characters)");
            }
            String idempotencyKey = key == null || key.isBlank() || key.length() > 100
                    ? UUID.randomUUID().toString()
                    : key;
            return wallet.adjust(telegramId, money, reason.strip(), idempotencyKey, operator.audit());
        });
    }
}
