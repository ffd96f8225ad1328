package io.premiumbot.api.admin;

import java.time.Instant;
import java.util.List;

import io.premiumbot.model.ledger.LedgerEntry;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.DeliveryAttempt;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.Price;
import io.premiumbot.model.user.User;

/** The operator API's JSON shapes (docs/contracts.md). Amounts are {@link Money}: strings with 6 decimals. */
public final class Views {

    private Views() {}

    public record Items<T>(List<T> items) {}

    public record OrderView(
            String id,
            String status,
            long buyerId,
            long recipientId,
            String recipientUsername,
            int months,
            int starCount,
            Money price,
            Money payAmount,
            String payMethod,
            String failureReason,
            Instant createdAt,
            Instant updatedAt,
            Instant paidAt,
            Instant deliveredAt,
            Instant expiresAt,
            Money listPrice,
            Money discount,
            int discountStars,
            int starPrice,
            Instant deliveryHeldUntil) {

        /** {@code starCount} is what the gift costs the bot; {@code starPrice} what the customer pays in Stars.
         * {@code price} is what the buyer is charged; a promo code's discount comes on top of it to the list price.
         * {@code deliveryHeldUntil}: the chargeback guard holds the gift of a new buyer's Stars order until then. */
        public static OrderView of(Order order) {
            return new OrderView(
                    order.id,
                    order.status.name(),
                    order.buyerId,
                    order.recipientId,
                    order.recipientUsername,
                    order.months,
                    order.starCount,
                    Money.ofMicros(order.priceMicros),
                    order.payAmountMicros == null ? null : Money.ofMicros(order.payAmountMicros),
                    order.payMethod == null ? null : order.payMethod.name(),
                    order.failureReason,
                    order.createdAt,
                    order.updatedAt,
                    order.paidAt,
                    order.deliveredAt,
                    order.expiresAt,
                    Money.ofMicros(Math.addExact(order.priceMicros, order.discountMicros)),
                    Money.ofMicros(order.discountMicros),
                    order.discountStars,
                    order.starPrice(),
                    order.deliveryHeldUntil);
        }
    }

    public record AttemptView(
            int attempt,
            String workerId,
            Instant startedAt,
            Instant finishedAt,
            String outcome,
            Integer errorCode,
            String errorDescription) {

        public static AttemptView of(DeliveryAttempt attempt) {
            return new AttemptView(
                    attempt.attempt,
                    attempt.workerId,
                    attempt.startedAt,
                    attempt.finishedAt,
                    attempt.outcome,
                    attempt.errorCode,
                    attempt.errorDescription);
        }
    }

    public record OrderDetail(
            String id,
            String status,
            long buyerId,
            long recipientId,
            String recipientUsername,
            int months,
            int starCount,
            Money price,
            Money payAmount,
            String payMethod,
            String failureReason,
            Instant createdAt,
            Instant updatedAt,
            Instant paidAt,
            Instant deliveredAt,
            Instant expiresAt,
            Money listPrice,
            Money discount,
            int discountStars,
            int starPrice,
            Instant deliveryHeldUntil,
            List<AttemptView> attempts,
            List<LedgerEntryView> ledgerEntries) {

        public static OrderDetail of(OrderView o, List<AttemptView> attempts, List<LedgerEntryView> entries) {
            return new OrderDetail(
                    o.id(),
                    o.status(),
                    o.buyerId(),
                    o.recipientId(),
                    o.recipientUsername(),
                    o.months(),
                    o.starCount(),
                    o.price(),
                    o.payAmount(),
                    o.payMethod(),
                    o.failureReason(),
                    o.createdAt(),
                    o.updatedAt(),
                    o.paidAt(),
                    o.deliveredAt(),
                    o.expiresAt(),
                    o.listPrice(),
                    o.discount(),
                    o.discountStars(),
                    o.starPrice(),
                    o.deliveryHeldUntil(),
                    attempts,
                    entries);
        }
    }

    public record UserView(
            long telegramId,
            String username,
            String firstName,
            String languageCode,
            Money balance,
            Instant createdAt,
            Instant updatedAt) {

        public static UserView of(User user) {
            return new UserView(
                    user.telegramId,
                    user.username,
                    user.firstName,
                    user.languageCode,
                    Money.ofMicros(user.balanceMicros),
                    user.createdAt,
                    user.updatedAt);
        }
    }

    public record LedgerEntryView(
            long id, Money amount, Money balanceAfter, String reason, String reference, Instant createdAt) {

        public static LedgerEntryView of(LedgerEntry entry) {
            return new LedgerEntryView(
                    entry.id,
                    Money.ofMicros(entry.amountMicros),
                    Money.ofMicros(entry.balanceAfterMicros),
                    entry.reason.name(),
                    entry.reference,
                    entry.createdAt);
        }
    }

    public record AdjustmentView(LedgerEntryView entry, boolean replayed) {}

    /** {@code stars}: what a customer pays in Stars; {@code giftCost}: what the gift costs the bot (Telegram's). */
    public record PriceView(int months, Money price, int stars, int giftCost, Instant updatedAt) {

        public static PriceView of(Price price) {
            return new PriceView(
                    price.months,
                    Money.ofMicros(price.priceMicros),
                    price.starPrice,
                    io.premiumbot.model.order.Months.ofCount(price.months).stars(),
                    price.updatedAt);
        }
    }
}
