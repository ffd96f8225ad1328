package io.premiumbot.api.console;

import java.util.List;

import io.premiumbot.api.admin.AdminAuditResource.AuditView;
import io.premiumbot.api.admin.AdminPaymentsResource.PaymentView;
import io.premiumbot.api.admin.Views.LedgerEntryView;
import io.premiumbot.api.admin.Views.OrderDetail;
import io.premiumbot.api.admin.Views.OrderView;
import io.premiumbot.api.admin.Views.PriceView;
import io.premiumbot.api.admin.Views.UserView;
import io.premiumbot.api.payments.BotStars;
import io.premiumbot.api.payments.TreasuryView;
import io.premiumbot.api.queue.DeadLetters.DeadJob;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The console's pages, checked against these parameter types when the service is built. */
@CheckedTemplate(basePath = "console")
final class ConsoleTemplates {

    private ConsoleTemplates() {}

    static native TemplateInstance login(String lang, String error);

    /** The home page: today's sales and the Stars available on top, then what needs attention. */
    static native TemplateInstance attention(
            Page page,
            Summary summary,
            People people,
            List<OrderView> unknown,
            List<OrderView> failed,
            List<OrderView> waiting,
            List<DeadJob> dead,
            List<PaymentView> unmatched);

    static native TemplateInstance orders(Page page, List<OrderView> orders, String status, String user, People people);

    /** {@code retryUnavailable}: why a FAILED order can't be retried (its refund is under way); null when it can. */
    static native TemplateInstance order(
            Page page, OrderDetail order, List<AuditView> audit, String retryUnavailable, People people);

    static native TemplateInstance users(Page page, List<UserView> users, String query);

    static native TemplateInstance user(
            Page page,
            UserView user,
            List<LedgerEntryView> ledger,
            List<OrderView> orders,
            List<AuditView> audit,
            String adjustKey,
            People people);

    static native TemplateInstance prices(Page page, List<PriceView> prices);

    static native TemplateInstance payments(Page page, List<PaymentView> payments, People people);

    static native TemplateInstance jobs(Page page, List<DeadJob> jobs);

    static native TemplateInstance audit(
            Page page, List<AuditView> entries, String target, String operator, People people);

    static native TemplateInstance stars(
            Page page, TreasuryView supply, BotStars.Overview stars, TreasuryBlock treasury);

    static native TemplateInstance sales(Page page, SalesView sales, List<Integer> choices);

    static native TemplateInstance problem(Page page, int status, String detail, String back);
}
