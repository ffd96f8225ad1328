package io.premiumbot.model.order;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One call (or intended call) to giftPremiumSubscription, written before the call goes out. */
@Entity
@Table(name = "delivery_attempts")
public class DeliveryAttempt extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_id", nullable = false, updatable = false)
    public String orderId;

    @Column(nullable = false, updatable = false)
    public int attempt;

    @Column(name = "worker_id", nullable = false, updatable = false)
    public String workerId;

    @Column(name = "started_at", nullable = false, updatable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String outcome;

    @Column(name = "error_code")
    public Integer errorCode;

    @Column(name = "error_description")
    public String errorDescription;
}
