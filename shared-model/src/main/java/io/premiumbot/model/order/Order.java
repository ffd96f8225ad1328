package io.premiumbot.model.order;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.ColumnResult;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.SqlResultSetMapping;
import jakarta.persistence.Table;

/** A Premium gift order. The price is a snapshot taken when the order was made: what the buyer is charged. */
// explicit mappings keep Hibernate's query plan cache at one entry each for the wallet's order lock and the
// reconciler's stalled-order claim (see User)
@SqlResultSetMapping(name = Order.STATUS, columns = @ColumnResult(name = "status", type = String.class))
@SqlResultSetMapping(name = Order.ID, columns = @ColumnResult(name = "id", type = String.class))
@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    /** An order's status as a native statement returns it ({@code select status …}). */
    public static final String STATUS = "Order.status";

    /** Order ids as a native statement returns them ({@code returning id}). */
    public static final String ID = "Order.id";

    @Id
    public String id;

    @Column(name = "buyer_id", nullable = false, updatable = false)
    public long buyerId;

    @Column(name = "recipient_id", nullable = false, updatable = false)
    public long recipientId;

    @Column(name = "recipient_username", updatable = false)
    public String recipientUsername;

    @Column(nullable = false, updatable = false)
    public int months;

    /** What the gift costs the bot in Stars (Telegram's price, what {@code giftPremiumSubscription} is sent). */
    @Column(name = "star_count", nullable = false, updatable = false)
    public int starCount;

    @Column(name = "price_micros", nullable = false, updatable = false)
    public long priceMicros;

    /** The promo code that discounted it, if any; the list price is {@code priceMicros + discountMicros}. */
    @Column(name = "promo_code_id", updatable = false)
    public Long promoCodeId;

    @Column(name = "discount_micros", nullable = false, updatable = false)
    public long discountMicros;

    /** Stars a promo code took off the customer's Stars list price: they pay {@link #starPrice()}. */
    @Column(name = "discount_stars", nullable = false, updatable = false)
    public int discountStars;

    /**
     * The Stars the customer is charged: the plan's Stars price when the order was offered, less {@link #discountStars}.
     * Null on orders made before operators set Stars prices (see {@link #starPrice()}).
     */
    @Column(name = "star_price", updatable = false)
    public Integer starPriceCharged;

    @Column(name = "pay_amount_micros")
    public Long payAmountMicros;

    @Enumerated(EnumType.STRING)
    @Column(name = "pay_method")
    public PayMethod payMethod;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OrderStatus status;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "paid_at")
    public Instant paidAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    /** Telegram's flood wait for this order's gift: no gift call goes out before it (null: none). */
    @Column(name = "gift_not_before")
    public Instant giftNotBefore;

    /** Chargeback guard: a new buyer's first Stars order is not gifted before this (null: not held). */
    @Column(name = "delivery_held_until")
    public Instant deliveryHeldUntil;

    /** The Stars the customer pays for it in Stars (older orders: the gift's cost less any promo code's discount). */
    public int starPrice() {
        return starPriceCharged != null ? starPriceCharged : starCount - discountStars;
    }
}
