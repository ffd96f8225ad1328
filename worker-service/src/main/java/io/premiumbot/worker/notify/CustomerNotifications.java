package io.premiumbot.worker.notify;

import java.util.function.Function;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.user.User;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the buyer what became of their order, after the outcome committed, through the rate-limited Bot API.
 * A notification never changes an order: a buyer who blocked the bot (403) is skipped, and any other failure is
 * counted and logged, because the order's state in PostgreSQL is already right.
 */
@ApplicationScoped
public class CustomerNotifications {

    private static final Logger LOG = Logger.getLogger(CustomerNotifications.class);
    private static final String BUNDLE = "notify.texts";

    /** What happened to an order, from the buyer's side. */
    public record Event(String key, String orderId, long buyerId, long recipientId, int months, long priceMicros, String reason) {

        public static Event delivered(String orderId, long buyerId, long recipientId, int months, long priceMicros) {
            return new Event("delivered", orderId, buyerId, recipientId, months, priceMicros, null);
        }

        public static Event refunded(String orderId, long buyerId, long recipientId, int months, long priceMicros, String reason) {
            return new Event("refunded", orderId, buyerId, recipientId, months, priceMicros, reason);
        }

        public static Event paid(String orderId, long buyerId, long recipientId, int months, long priceMicros) {
            return new Event("paid", orderId, buyerId, recipientId, months, priceMicros, null);
        }
    }

    /** Money an on-chain transfer put in a customer's wallet without paying an order. */
    public record WalletCredit(Kind kind, long userId, long amountMicros, long balanceAfterMicros, String orderId) {

        public enum Kind {
            /** A top-up request's amount (in time or late): the money is what was asked for. */
            TOP_UP,
            /** The amount of an order's request, arrived after the request ran out: the order was not paid. */
            LATE,
            /** The amount of an order's request, arrived when the order no longer waited (already paid, or paid twice). */
            ALREADY_PAID,
            /** The amount of an order's request, in time, but the wallet then didn't cover the order's price. */
            SHORT
        }
    }

    private final BotApi botApi;
    private final Counter sent;
    private final Counter blocked;
    private final Counter failed;

    public CustomerNotifications(BotApi botApi, MeterRegistry registry) {
        this.botApi = botApi;
        this.sent = counter(registry, "sent");
        this.blocked = counter(registry, "blocked");
        this.failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("premium_notifications").description("Customer notifications by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** An order paid outside the bot's conversation (an on-chain transfer): tell its buyer. Never fails. */
    public Uni<Void> paid(String orderId) {
        return Panache.withSession(() -> Order.<Order>findById(orderId))
                .flatMap(order -> order == null ? Uni.createFrom().voidItem()
                        : send(Event.paid(order.id, order.buyerId, order.recipientId, order.months, order.priceMicros)))
                .onFailure().recoverWithItem(failure -> {
                    failed.increment();
                    LOG.warnf("event=notification_failed order=%s kind=paid error=%s", orderId, failure.getMessage());
                    return null;
                });
    }

    /** A Stars refund went through: tell its payer ({@code orderId} null: Stars that never paid an order). Never fails. */
    public Uni<Void> starsRefunded(String orderId, long userId, int stars) {
        return deliver(userId, orderId, "stars_refunded", languageCode -> Texts.of(BUNDLE, languageCode)
                .get(orderId == null ? "stars_refunded_unused" : "stars_refunded", orderId, String.valueOf(stars)));
    }

    /** Money landed in the customer's wallet without paying an order: tell them how much, why, and the balance. Never fails. */
    public Uni<Void> credited(WalletCredit credit) {
        return deliver(credit.userId(), credit.orderId(), "credit_" + credit.kind().name().toLowerCase(java.util.Locale.ROOT),
                languageCode -> text(credit, languageCode));
    }

    static String text(WalletCredit credit, String languageCode) {
        Texts texts = Texts.of(BUNDLE, languageCode);
        String key = credit.orderId() == null ? "credit.top_up" : "credit." + credit.kind().name().toLowerCase(java.util.Locale.ROOT);
        return texts.get(key, Money.ofMicros(credit.amountMicros()), Money.ofMicros(credit.balanceAfterMicros()),
                credit.orderId() == null ? "" : credit.orderId());
    }

    /** Completes once the message is sent, skipped or given up on; never fails. */
    @WithSpan("CustomerNotifications.send")
    public Uni<Void> send(Event event) {
        return deliver(event.buyerId(), event.orderId(), event.key(), languageCode -> text(event, languageCode));
    }

    private Uni<Void> deliver(long userId, String orderId, String kind, Function<String, String> textIn) {
        return Panache.withSession(() -> User.<User>findById(userId))
                .map(buyer -> textIn.apply(buyer == null ? null : buyer.languageCode))
                .flatMap(text -> botApi.sendMessage(userId, text))
                .invoke(() -> sent.increment())
                .onFailure().recoverWithItem(failure -> {
                    if (failure instanceof TelegramException.Rejected rejected && rejected.errorCode() == 403) {
                        blocked.increment();
                        LOG.infof("event=notification_skipped order=%s reason=bot_blocked_by_user", orderId);
                    } else {
                        failed.increment();
                        LOG.warnf("event=notification_failed order=%s kind=%s error=%s", orderId, kind,
                                failure.getMessage());
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    static String text(Event event, String languageCode) {
        Texts texts = Texts.of(BUNDLE, languageCode);
        String recipient = event.recipientId() == event.buyerId() ? texts.get("you") : texts.get("user", String.valueOf(event.recipientId()));
        return texts.get(event.key(), event.orderId(), String.valueOf(event.months()), recipient,
                Money.ofMicros(event.priceMicros()), event.reason() == null ? "" : event.reason());
    }
}
