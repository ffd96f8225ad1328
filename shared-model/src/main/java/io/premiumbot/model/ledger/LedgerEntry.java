package io.premiumbot.model.ledger;

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

/** One immutable balance change: credits positive, debits negative. Never updated, never deleted. */
@Entity
@Table(name = "ledger_entries")
public class LedgerEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false, updatable = false)
    public long userId;

    @Column(name = "amount_micros", nullable = false, updatable = false)
    public long amountMicros;

    @Column(name = "balance_after_micros", nullable = false, updatable = false)
    public long balanceAfterMicros;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public LedgerReason reason;

    @Column(updatable = false)
    public String reference;

    @Column(name = "idempotency_key", nullable = false, updatable = false)
    public String idempotencyKey;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
