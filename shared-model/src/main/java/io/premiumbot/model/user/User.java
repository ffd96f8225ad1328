package io.premiumbot.model.user;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A Telegram user the bot has seen, with the wallet balance (changed only through the ledger). */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    @Id
    @Column(name = "telegram_id")
    public long telegramId;

    public String username;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "language_code")
    public String languageCode;

    @Column(name = "balance_micros", nullable = false)
    public long balanceMicros;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
