package io.premiumbot.api.bot;

import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.payments.TooManyOpenRequestsException;
import io.premiumbot.api.queue.DeliveryQueue;
import io.premiumbot.model.ledger.InsufficientFundsException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Handles one webhook update: flood check, then the recipient pre-flight with Telegram (outside any
 * transaction), then everything the update changes in one transaction together with its update_id (so a
 * replay has no second effect); a paid order is enqueued for delivery only after that commit.
 */
@ApplicationScoped
public class BotService {

    private static final Logger LOG = Logger.getLogger(BotService.class);

    private final FloodGuard flood;
    private final Preflight preflight;
    private final UpdateProcessor processor;
    private final DeliveryQueue queue;

    public BotService(FloodGuard flood, Preflight preflight, UpdateProcessor processor, DeliveryQueue queue) {
        this.flood = flood;
        this.preflight = preflight;
        this.processor = processor;
        this.queue = queue;
    }

    /** The reply to carry in the webhook response, or null for none. */
    public Uni<Reply> handle(Update update) {
        From sender = update.sender();
        if (sender == null) {
            return Uni.createFrom().nullItem();
        }
        // a checkout must be answered whatever the sender's pace: Telegram gives it 10 s
        Uni<FloodGuard.Verdict> admitted = update.preCheckoutQuery() != null
                ? Uni.createFrom().item(FloodGuard.Verdict.ALLOW)
                : flood.admit(sender.id());
        return admitted.flatMap(verdict -> switch (verdict) {
            case ALLOW -> process(update, sender);
            case WARN -> Uni.createFrom().item(Reply.message(sender.id(), BotTexts.forLanguage(sender.languageCode()).get("flood")));
            case DROP -> Uni.createFrom().nullItem();
        });
    }

    private Uni<Reply> process(Update update, From sender) {
        BotTexts texts = BotTexts.forLanguage(sender.languageCode());
        return preflight.check(PurchaseIntent.of(update))
                .flatMap(checked -> processor.process(update, checked))
                .call(outcome -> outcome.paidOrderId() == null ? Uni.createFrom().voidItem() : queue.enqueuePaid(outcome.paidOrderId()))
                .map(Outcome::reply)
                // each of these rolled the whole transaction back: nothing was written, the customer is told why
                .onFailure(NoFreePayAmountException.class).recoverWithItem(failure -> {
                    LOG.warnf("event=pay_amounts_exhausted updateId=%d", update.updateId());
                    return Reply.message(sender.id(), texts.get("buy.busy"));
                })
                .onFailure(TooManyOpenRequestsException.class).recoverWithItem(failure -> {
                    TooManyOpenRequestsException tooMany = (TooManyOpenRequestsException) failure;
                    LOG.infof("event=payment_requests_capped updateId=%d open=%d", update.updateId(), tooMany.open());
                    return Reply.message(sender.id(), texts.get("payments.too_many_open", String.valueOf(tooMany.open()),
                            Purchases.EXPIRY.format(tooMany.firstRunsOut())));
                })
                .onFailure(InsufficientFundsException.class).recoverWithItem(failure -> walletShort(update, sender, texts))
                .onFailure(StarsPayments.NotPayableException.class).recoverWithItem(failure -> {
                    StarsPayments.NotPayableException notPayable = (StarsPayments.NotPayableException) failure;
                    LOG.warnf("event=stars_payment_refunded updateId=%d userId=%d", update.updateId(), notPayable.userId());
                    return Reply.refundStars(notPayable.userId(), notPayable.chargeId());
                });
    }

    /** The buyer pressed "pay from wallet" without the money: offer the other ways for the same choice. */
    private static Reply walletShort(Update update, From sender, BotTexts texts) {
        return PurchaseIntent.of(update).map(intent -> Reply.message(sender.id(), texts.get("buy.wallet_short"), List.of(
                List.of(new Button(texts.get("button.pay_chain"),
                        PurchaseIntent.button(PurchaseIntent.Step.PAY_CHAIN, intent.months(), intent.recipientId()))),
                List.of(new Button(texts.get("button.pay_stars", String.valueOf(intent.months().stars())),
                        PurchaseIntent.button(PurchaseIntent.Step.PAY_STARS, intent.months(), intent.recipientId()))))))
                .orElseGet(() -> Reply.message(sender.id(), texts.get("buy.wallet_short")));
    }
}
