package io.premiumbot.worker.notify;

import org.jboss.logging.Logger;

import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.money.Money;
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

        /** The same event of the same order is told once, however often it is enqueued. */
        public String dedupKey() {
            return key + ":" + orderId;
        }
    }

    private final NotificationOutbox outbox;
    private final NotificationSender sender;
    private final NotificationMetrics metrics;

    public CustomerNotifications(NotificationOutbox outbox, NotificationSender sender, NotificationMetrics metrics) {
        this.outbox = outbox;
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
    public Uni<Void> enqueue(Event event) {
        return outbox.languageOf(event.buyerId())
                .flatMap(language -> outbox.add(event.dedupKey(), event.buyerId(), event.key(), text(event, language)))
                .invoke(written -> {
                    if (written) {
                        sender.wake();
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    metrics.failed();
                    LOG.warnf("event=notification_not_queued order=%s kind=%s error=%s", event.orderId(), event.key(),
                            failure.getMessage());
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
