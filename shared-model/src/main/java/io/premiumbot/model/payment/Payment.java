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

/** Money that came in (an on-chain transfer or a Stars charge), recorded once by its external id. */
@Entity
@Table(name = "payments")
public class Payment extends PanacheEntityBase {

    public enum Status {
        CREDITED,
        UNMATCHED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, updatable = false)
    public String provider;

    @Column(name = "external_id", nullable = false, updatable = false)
    public String externalId;

    @Column(nullable = false, updatable = false)
    public String currency;

    @Column(name = "amount_micros", nullable = false, updatable = false)
    public long amountMicros;

    @Column(name = "from_address", updatable = false)
    public String fromAddress;

    @Column(name = "user_id")
    public Long userId;

    @Column(name = "request_id")
    public Long requestId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public Instant occurredAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
