package io.premiumbot.api.console;

import io.premiumbot.api.admin.AdminAuditResource;
import io.premiumbot.api.admin.AdminPaymentsResource;
import io.premiumbot.api.admin.Views;
import io.premiumbot.api.payments.BotStars;
import io.premiumbot.api.payments.TreasuryView;
import io.premiumbot.api.queue.DeadLetters;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.queue.DeliveryJob;
import io.quarkus.qute.TemplateData;

/** The types the console's shared fragments read: Qute resolves them without reflection. */
@TemplateData(target = Views.OrderView.class)
@TemplateData(target = Views.OrderDetail.class)
@TemplateData(target = Views.AttemptView.class)
@TemplateData(target = Views.LedgerEntryView.class)
@TemplateData(target = Views.UserView.class)
@TemplateData(target = Views.PriceView.class)
@TemplateData(target = AdminPaymentsResource.PaymentView.class)
@TemplateData(target = AdminAuditResource.AuditView.class)
@TemplateData(target = DeadLetters.DeadJob.class)
@TemplateData(target = DeliveryJob.class)
@TemplateData(target = Money.class)
@TemplateData(target = BotStars.Overview.class)
@TemplateData(target = BotStars.StarTransaction.class)
@TemplateData(target = TreasuryView.class)
final class TemplateTypes {

    private TemplateTypes() {}
}
