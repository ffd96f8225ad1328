package io.premiumbot.model.user;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.ColumnResult;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.SqlResultSetMapping;
import jakarta.persistence.Table;

/** A Telegram user the bot has seen, with the wallet balance (changed only through the ledger). */
// an explicit mapping keeps Hibernate's query plan cache at one entry for the ledger's balance change (a native query
// with only a result type gets a mapping discovered at execution, and a new cache entry on every call)
@SqlResultSetMapping(name = User.BALANCE_AFTER, columns = @ColumnResult(name = "balance_micros", type = Long.class))
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {

    /** The balance a native statement returns ({@code returning balance_micros}). */
    public static final String BALANCE_AFTER = "User.balanceAfter";

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
