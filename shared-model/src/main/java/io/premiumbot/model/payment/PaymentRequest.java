package io.premiumbot.model.payment;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A unique on-chain amount held for one order or top-up: open until it expires, then quarantined for late payments. */
@Entity
@Table(name = "payment_requests")
public class PaymentRequest extends PanacheEntityBase {

    public enum Status {
        OPEN,
        PAID,
        EXPIRED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false, updatable = false)
    public long userId;

    @Column(name = "order_id", updatable = false)
    public String orderId;

    @Column(name = "amount_micros", nullable = false, updatable = false)
    public long amountMicros;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    public Instant expiresAt;

    /** The amount stays this request's, out of circulation, until then: its expiry plus the late-payment quarantine. */
    @Column(name = "held_until", nullable = false, updatable = false)
    public Instant heldUntil;

    /** What was asked before the unique suffix (price or top-up amount); null on rows from before it was kept. */
    @Column(name = "base_micros", updatable = false)
    public Long baseMicros;

    @Column(name = "paid_at")
    public Instant paidAt;
}
