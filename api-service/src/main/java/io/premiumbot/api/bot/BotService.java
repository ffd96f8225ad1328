package io.premiumbot.api.bot;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.premiumbot.api.bot.TelegramTypes.Button;
import io.premiumbot.api.bot.TelegramTypes.CallbackQuery;
import io.premiumbot.api.bot.TelegramTypes.From;
import io.premiumbot.api.bot.TelegramTypes.Reply;
import io.premiumbot.api.bot.TelegramTypes.Update;
import io.premiumbot.api.payments.NoFreePayAmountException;
import io.premiumbot.api.payments.StarSupply;
import io.premiumbot.api.payments.StarsLimitExceededException;
import io.premiumbot.api.payments.StarsSoldOutException;
import io.premiumbot.api.payments.TooManyOpenRequestsException;
import io.premiumbot.api.payments.TooManyUnpaidRequestsException;
import io.premiumbot.api.promo.PromoCodeUnavailableException;
import io.premiumbot.api.queue.DeliveryQueue;
import io.premiumbot.api.support.PaymentMethods;
import io.premiumbot.model.ledger.InsufficientFundsException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Handles one webhook update: flood check; a message that changes nothing is answered from one read or upsert
 * ({@link ReadOnlyAnswers}); any other update gets the recipient pre-flight with Telegram (outside any transaction),
 * then everything it changes in one transaction together with its update_id and its reply (so a replay has no second
 * effect and gets the first answer) — a purchase the wallet pays at once in {@link WalletPurchases}' few statements, a
 * confirmation shown at the list prices in {@link QuickConfirmations}' —,
 * any other in the update's Hibernate transaction; a paid order is enqueued for delivery only after that commit.
 */
@ApplicationScoped
public class BotService {

    private static final Logger LOG = Logger.getLogger(BotService.class);

    private final FloodGuard flood;
    private final Preflight preflight;
    private final UpdateProcessor processor;
    private final ReadOnlyAnswers readOnly;
    private final DeliveryQueue queue;
    private final CallbackAnswers callbackAnswers;
    private final StarSupply supply;
    private final PaymentMethods methods;
    private final WalletPurchases walletPurchases;
    private final QuickConfirmations quickConfirmations;

    public BotService(
            FloodGuard flood,
            Preflight preflight,
            UpdateProcessor processor,
            ReadOnlyAnswers readOnly,
            DeliveryQueue queue,
            CallbackAnswers callbackAnswers,
            StarSupply supply,
            PaymentMethods methods,
            WalletPurchases walletPurchases,
            QuickConfirmations quickConfirmations) {
        this.quickConfirmations = quickConfirmations;
        this.supply = supply;
        this.methods = methods;
        this.callbackAnswers = callbackAnswers;
        this.walletPurchases = walletPurchases;
        this.readOnly = readOnly;
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
        Uni<Reply> reply = admitted(update, sender).flatMap(verdict -> switch (verdict) {
            case ALLOW -> process(update, sender);
            case WARN -> Uni.createFrom().item(floodWarning(update, sender));
            case DROP ->
                Uni.createFrom()
                        .item(
                                update.callbackQuery() == null
                                        ? null
                                        : Reply.callbackAnswer(
                                                update.callbackQuery().id(), null));
        });
        return update.callbackQuery() == null ? reply : answered(update.callbackQuery(), sender, reply);
    }

    /**
     * A checkout must be answered (Telegram gives it 10 s) and a payment recorded whatever the sender's pace: money is
     * never dropped by the flood rule.
     */
    private Uni<FloodGuard.Verdict> admitted(Update update, From sender) {
        boolean payment = update.preCheckoutQuery() != null
                || (update.message() != null && update.message().successfulPayment() != null);
        return payment ? Uni.createFrom().item(FloodGuard.Verdict.ALLOW) : flood.admit(sender.id());
    }

    private static Reply floodWarning(Update update, From sender) {
        String text = BotTexts.forLanguage(sender.languageCode()).get("flood");
        return update.callbackQuery() == null
                ? Reply.message(sender.id(), text)
                : Reply.callbackAnswer(update.callbackQuery().id(), text);
    }

    /**
     * Every button press gets its answerCallbackQuery, so the spinner stops: in the response when nothing else goes
     * there, otherwise sent after it. A failure is answered too: the transaction rolled back, so tapping again is safe,
     * and a 5xx would only make Telegram redeliver a press whose spinner is long gone.
     */
    private Uni<Reply> answered(CallbackQuery query, From sender, Uni<Reply> reply) {
        return reply.onFailure()
                .recoverWithItem(failure -> {
                    LOG.errorf(failure, "event=callback_failed callbackQueryId=%s userId=%d", query.id(), sender.id());
                    return Reply.callbackAnswer(
                            query.id(),
                            BotTexts.forLanguage(sender.languageCode()).get("callback.try_again"));
                })
                .map(main -> {
                    if (main == null) {
                        return Reply.callbackAnswer(query.id(), null);
                    }
                    if (!"answerCallbackQuery".equals(main.method())) {
                        callbackAnswers.answerAfter(query.id());
                    }
                    return main;
                });
    }

    private Uni<Reply> process(Update update, From sender) {
        if (ReadOnlyAnswers.answers(update)) {
            return readOnly.answer(update.message());
        }
        BotTexts texts = BotTexts.forLanguage(sender.languageCode());
        return preflight
                .check(PurchaseIntent.of(update))
                // a purchase the wallet pays at once, and a confirmation shown at the list prices, take a short path;
                // everything else, and anything they leave (rolled back untouched), the update's transaction
                .flatMap(checked -> walletPurchases
                        .pay(update, checked)
                        .flatMap(paid -> paid.isPresent()
                                ? Uni.createFrom().item(paid)
                                : quickConfirmations.show(update, checked))
                        .flatMap(quick -> quick.isPresent()
                                ? Uni.createFrom().item(quick.get())
                                : processor.process(update, checked)))
                .call(outcome -> outcome.paidOrderId() == null
                        ? Uni.createFrom().voidItem()
                        : queue.enqueuePaid(outcome.paidOrderId()))
                .map(Outcome::reply)
                // each of these rolled the whole transaction back: nothing was written, the customer is told why;
                // anything else fails the webhook call, so Telegram delivers the update again (a payment included)
                .onFailure(NoFreePayAmountException.class)
                .recoverWithItem(failure -> {
                    LOG.warnf("event=pay_amounts_exhausted updateId=%d", update.updateId());
                    return Reply.message(sender.id(), texts.get("buy.busy"));
                })
                .onFailure(TooManyOpenRequestsException.class)
                .recoverWithItem(failure -> {
                    TooManyOpenRequestsException tooMany = (TooManyOpenRequestsException) failure;
                    LOG.infof("event=payment_requests_capped updateId=%d open=%d", update.updateId(), tooMany.open());
                    return Reply.message(
                            sender.id(),
                            texts.get(
                                    "payments.too_many_open",
                                    String.valueOf(tooMany.open()),
                                    Purchases.EXPIRY.format(tooMany.firstRunsOut())));
                })
                .onFailure(TooManyUnpaidRequestsException.class)
                .recoverWithItem(failure -> {
                    TooManyUnpaidRequestsException unpaid = (TooManyUnpaidRequestsException) failure;
                    LOG.infof(
                            "event=payment_requests_capped updateId=%d unpaid=%d", update.updateId(), unpaid.unpaid());
                    return Reply.message(
                            sender.id(),
                            texts.get(
                                    "payments.too_many_unpaid",
                                    String.valueOf(unpaid.unpaid()),
                                    Purchases.EXPIRY.format(unpaid.firstFreed())));
                })
                .onFailure(PromoCodeUnavailableException.class)
                .recoverWithItem(failure -> {
                    String code = ((PromoCodeUnavailableException) failure).code();
                    LOG.infof("event=promo_code_unavailable updateId=%d code=%s", update.updateId(), code);
                    return Reply.message(sender.id(), texts.get("promo.unavailable", code));
                })
                .onFailure(StarsSoldOutException.class)
                .recoverWithUni(failure -> soldOut(update, sender, texts, (StarsSoldOutException) failure))
                .onFailure(StarsLimitExceededException.class)
                .recoverWithItem(failure -> {
                    StarsLimitExceededException over = (StarsLimitExceededException) failure;
                    LOG.infof(
                            "event=stars_invoice_over_daily_limit updateId=%d stars=%d",
                            update.updateId(), over.asked());
                    return Reply.message(
                            sender.id(),
                            texts.get("stars.daily_limit", String.valueOf(over.limit()), String.valueOf(over.asked())));
                })
                .onFailure(InsufficientFundsException.class)
                .recoverWithItem(failure -> walletShort(update, sender, texts));
    }

    /** The Stars didn't cover the gift: the purchase rolled back whole; the operator hears of the spell once. */
    private Uni<Reply> soldOut(Update update, From sender, BotTexts texts, StarsSoldOutException soldOut) {
        LOG.warnf("event=purchase_refused_stars_sold_out updateId=%d stars=%d", update.updateId(), soldOut.giftStars());
        return Panache.withTransaction(supply::soldOutSpell)
                .replaceWith(Reply.message(sender.id(), texts.get("buy.sold_out")));
    }

    /**
     * The buyer pressed "pay from wallet" without the money (only a shop that takes USDT gets here): offer the other
     * ways it takes for the same choice.
     */
    private Reply walletShort(Update update, From sender, BotTexts texts) {
        String text = texts.get(methods.stars() ? "buy.wallet_short" : "buy.wallet_short.usdt");
        // the rollback left the confirmation unused: the other ways to pay use it, at the price it showed
        return PurchaseIntent.of(update)
                .filter(intent -> intent.confirmationId() != null)
                .map(intent -> {
                    List<List<Button>> buttons = new ArrayList<>();
                    buttons.add(List.of(new Button(
                            texts.get("button.pay_chain"),
                            PurchaseIntent.payButton(
                                    PurchaseIntent.Step.PAY_CHAIN,
                                    intent.months(),
                                    intent.recipientId(),
                                    intent.confirmationId()))));
                    if (methods.stars()) {
                        // the confirmation's Stars price may carry a promo code's discount: the invoice shows it
                        buttons.add(List.of(new Button(
                                texts.get("button.pay_stars_any"),
                                PurchaseIntent.payButton(
                                        PurchaseIntent.Step.PAY_STARS,
                                        intent.months(),
                                        intent.recipientId(),
                                        intent.confirmationId()))));
                    }
                    return Reply.message(sender.id(), text, buttons);
                })
                .orElseGet(() -> Reply.message(sender.id(), text));
    }
}
