package io.premiumbot.model.telegram;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A Telegram update_id already handled: a replayed update has no second effect and is answered with {@link #reply},
 * the Bot API call the first attempt returned (JSON; null when it returned none).
 */
@Entity
@Table(name = "processed_updates")
public class ProcessedUpdate extends PanacheEntityBase {

    @Id
    @Column(name = "update_id")
    public long updateId;

    @Column(name = "received_at", nullable = false, updatable = false)
    public Instant receivedAt;

    @Column(name = "reply", columnDefinition = "text")
    public String reply;
}
