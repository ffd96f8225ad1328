package io.premiumbot.worker.notify;

import java.util.Locale;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.notify.CustomerNotificationOutbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the buyer what became of their order. {@link #enqueue} writes the notification, in the buyer's language,
 * to the outbox in PostgreSQL; {@link NotificationSender} sends it from the Telegram budget that gifts leave. A
 * notification never changes an order, and enqueueing one never fails its caller: the order's state is
 * already right, and a notification that could not even be written is counted and logged.
 */
@ApplicationScoped
public class CustomerNotifications {

    private static final Logger LOG = Logger.getLogger(CustomerNotifications.class);
    private static final String BUNDLE = "notify.texts";

    /** What happened to an order, from the buyer's side; {@code key} names its text in notify/texts. */
    public record Event(
            String key, String orderId, long buyerId, long recipientId, int months, long priceMicros, String reason) {

        public static Event delivered(String orderId, long buyerId, long recipientId, int months, long priceMicros) {
            return new Event("delivered", orderId, buyerId, recipientId, months, priceMicros, null);
        }

        public static Event refunded(
                String orderId, long buyerId, long recipientId, int months, long priceMicros, String reason) {
            return new Event("refunded", orderId, buyerId, recipientId, months, priceMicros, reason);
        }

        public static Event paid(String orderId, long buyerId, long recipientId, int months, long priceMicros) {
            return new Event("paid", orderId, buyerId, recipientId, months, priceMicros, null);
        }

        /** The same event of the same order is told once, however often it is enqueued. */
        public String dedupKey() {
            return key + ":" + orderId;
        }
    }

    /** Money an on-chain transfer put in a customer's wallet without paying an order; {@code txHash} names the transfer. */
    public record WalletCredit(
            Kind kind, long userId, long amountMicros, long balanceAfterMicros, String orderId, String txHash) {

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

    private final NotificationOutbox outbox;
    private final CustomerNotificationOutbox writer;
    private final NotificationSender sender;
    private final NotificationMetrics metrics;

    public CustomerNotifications(
            NotificationOutbox outbox,
            CustomerNotificationOutbox writer,
            NotificationSender sender,
            NotificationMetrics metrics) {
        this.outbox = outbox;
        this.writer = writer;
        this.sender = sender;
        this.metrics = metrics;
    }

    /** An order paid outside the bot's conversation (an on-chain transfer): tell its buyer. Never fails. */
    public Uni<Void> paid(String orderId) {
        return outbox.paidEvent(orderId)
                .flatMap(event -> event == null ? Uni.createFrom().voidItem() : enqueue(event));
    }

    /**
     * Queues the notification for sending; completes once it is written (or was already there). Never fails:
     * a failure to write is counted and logged, because nothing the customer paid depends on it.
     */
    @WithSpan("CustomerNotifications.enqueue")
    public Uni<Void> enqueue(Event event) {
        return enqueue(
                event.dedupKey(), event.buyerId(), event.orderId(), event.key(), language -> text(event, language));
    }

    /** A Stars refund went through: tell its payer ({@code orderId} null: Stars that never paid an order). Never fails. */
    public Uni<Void> starsRefunded(String chargeId, String orderId, long userId, int stars) {
        return enqueue(
                "stars_refunded:" + chargeId,
                userId,
                orderId,
                "stars_refunded",
                language -> Texts.of(BUNDLE, language)
                        .get(
                                orderId == null ? "stars_refunded_unused" : "stars_refunded",
                                orderId,
                                String.valueOf(stars)));
    }

    /** Money landed in the customer's wallet without paying an order: tell them how much, why, and the balance. Never fails. */
    public Uni<Void> credited(WalletCredit credit) {
        String kind = "credit_" + credit.kind().name().toLowerCase(Locale.ROOT);
        return enqueue(
                kind + ":" + credit.txHash(),
                credit.userId(),
                credit.orderId(),
                kind,
                language -> text(credit, language));
    }

    private Uni<Void> enqueue(
            String dedupKey, long chatId, String orderId, String kind, Function<String, String> textIn) {
        return outbox.languageOf(chatId)
                .flatMap(language -> writer.add(dedupKey, chatId, kind, textIn.apply(language)))
                .invoke(written -> {
                    if (written) {
                        sender.wake();
                    }
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    metrics.failed();
                    LOG.warnf(
                            "event=notification_not_queued orderId=%s kind=%s error=%s",
                            orderId, kind, failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }

    static String text(WalletCredit credit, String languageCode) {
        Texts texts = Texts.of(BUNDLE, languageCode);
        String key = credit.orderId() == null
                ? "credit.top_up"
                : "credit." + credit.kind().name().toLowerCase(Locale.ROOT);
        return texts.get(
                key,
                Money.ofMicros(credit.amountMicros()),
                Money.ofMicros(credit.balanceAfterMicros()),
                credit.orderId() == null ? "" : credit.orderId());
    }

    static String text(Event event, String languageCode) {
        Texts texts = Texts.of(BUNDLE, languageCode);
        String recipient = event.recipientId() == event.buyerId()
                ? texts.get("you")
                : texts.get("user", String.valueOf(event.recipientId()));
        return texts.get(
                event.key(),
                event.orderId(),
                String.valueOf(event.months()),
                recipient,
                Money.ofMicros(event.priceMicros()),
                event.reason() == null ? "" : event.reason());
    }
}
