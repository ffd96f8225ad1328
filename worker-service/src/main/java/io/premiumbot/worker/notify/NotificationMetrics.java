package io.premiumbot.worker.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Customer notifications by outcome; one counter per fixed outcome, so the label stays bounded. */
@ApplicationScoped
public class NotificationMetrics {

    private final Counter sent;
    private final Counter blocked;
    private final Counter failed;
    private final Counter postponed;
    private final Counter messages;

    public NotificationMetrics(MeterRegistry registry) {
        this.sent = counter(registry, "sent");
        this.blocked = counter(registry, "blocked");
        this.failed = counter(registry, "failed");
        this.postponed = counter(registry, "postponed");
        this.messages = Counter.builder("premium_notification_messages")
                .description("Telegram messages sent for customer notifications (several of one buyer share one)")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("premium_notifications")
                .description("Customer notifications by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    void sent(int notifications) {
        sent.increment(notifications);
        messages.increment();
    }

    void blocked(int notifications) {
        blocked.increment(notifications);
    }

    void failed(int notifications) {
        failed.increment(notifications);
    }

    void failed() {
        failed.increment();
    }

    void postponed(int notifications) {
        postponed.increment(notifications);
    }
}
