package io.premiumbot.model.ledger;

import java.time.Instant;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The only way a balance changes: one conditional update of the balance and one immutable entry, inside
 * the caller's transaction, so both commit or neither does. A debit can't take the balance below zero
 * (the update's condition, and a CHECK constraint behind it); an idempotency key already used returns
 * the entry it produced instead of changing anything twice (a unique constraint behind it), and only for the same
 * move: a key that booked another user, amount or reason fails with {@link LedgerKeyReusedException}.
 */
@ApplicationScoped
public class Ledger {

    private static final String CHANGE_BALANCE = """
            update users set balance_micros = balance_micros + ?1, updated_at = now()
            where telegram_id = ?2 and balance_micros + ?1 >= 0
            returning balance_micros""";

    /** Must run inside a transaction ({@code @WithTransaction}). */
    @WithSpan("Ledger.credit")
    public Uni<LedgerChange> credit(
            long userId, Money amount, LedgerReason reason, String reference, String idempotencyKey) {
        requirePositive(amount);
        return apply(userId, amount, reason, reference, idempotencyKey);
    }

    /** Must run inside a transaction; fails with {@link InsufficientFundsException} when the balance is short. */
    @WithSpan("Ledger.debit")
    public Uni<LedgerChange> debit(
            long userId, Money amount, LedgerReason reason, String reference, String idempotencyKey) {
        requirePositive(amount);
        return apply(userId, amount.negate(), reason, reference, idempotencyKey);
    }

    /** Credit or debit by sign, for operator adjustments. */
    public Uni<LedgerChange> adjust(long userId, Money signedAmount, String reference, String idempotencyKey) {
        if (signedAmount.micros() == 0) {
            throw new IllegalArgumentException("an adjustment of zero changes nothing");
        }
        return apply(userId, signedAmount, LedgerReason.ADJUSTMENT, reference, idempotencyKey);
    }

    private Uni<LedgerChange> apply(
            long userId, Money signedAmount, LedgerReason reason, String reference, String key) {
        return LedgerEntry.<LedgerEntry>find("idempotencyKey", key)
                .firstResult()
                .flatMap(existing -> {
                    if (existing == null) {
                        return changeBalance(userId, signedAmount, reason, reference, key);
                    }
                    if (!isSameMove(existing, userId, signedAmount, reason)) {
                        return Uni.createFrom().failure(new LedgerKeyReusedException(key));
                    }
                    return Uni.createFrom().item(new LedgerChange(existing, true));
                });
    }

    private static boolean isSameMove(LedgerEntry existing, long userId, Money signedAmount, LedgerReason reason) {
        return existing.userId == userId && existing.amountMicros == signedAmount.micros() && existing.reason == reason;
    }

    private Uni<LedgerChange> changeBalance(
            long userId, Money signedAmount, LedgerReason reason, String reference, String key) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                CHANGE_BALANCE, session.getResultSetMapping(Long.class, User.BALANCE_AFTER))
                        .setParameter(1, signedAmount.micros())
                        .setParameter(2, userId)
                        .getSingleResultOrNull())
                .flatMap(balanceAfter -> {
                    if (balanceAfter == null) {
                        return Uni.createFrom()
                                .failure(
                                        signedAmount.isNegative()
                                                ? new InsufficientFundsException(userId, signedAmount.negate())
                                                : new UnknownUserException(userId));
                    }
                    LedgerEntry entry = new LedgerEntry();
                    entry.userId = userId;
                    entry.amountMicros = signedAmount.micros();
                    entry.balanceAfterMicros = balanceAfter;
                    entry.reason = reason;
                    entry.reference = reference;
                    entry.idempotencyKey = key;
                    entry.createdAt = Instant.now();
                    return entry.<LedgerEntry>persist().map(saved -> new LedgerChange(saved, false));
                });
    }

    private static void requirePositive(Money amount) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount must be positive, was " + amount);
        }
    }

    /** The entry behind a balance change; {@code replayed} when the key had already been used. */
    public record LedgerChange(LedgerEntry entry, boolean replayed) {}
}
