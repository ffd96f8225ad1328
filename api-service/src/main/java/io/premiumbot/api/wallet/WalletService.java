package io.premiumbot.api.wallet;

import java.util.List;
import java.util.Objects;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.UnprocessableException;
import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerEntry;
import io.premiumbot.model.ledger.LedgerKeyReusedException;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.ledger.UnknownUserException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Balances, ledgers and the operator's manual adjustments. */
@ApplicationScoped
public class WalletService {

    private static final Logger LOG = Logger.getLogger(WalletService.class);

    private final Ledger ledger;
    private final AuditLog audit;
    private final Money adjustmentLimit;
    private final CreditNotices notices;

    public WalletService(Ledger ledger, AuditLog audit, ApiConfig.Admin admin, CreditNotices notices) {
        this.ledger = ledger;
        this.notices = notices;
        this.adjustmentLimit = Money.parse(admin.adjustmentLimit());
        this.audit = audit;
    }

    @WithSession
    public Uni<User> user(long telegramId) {
        return User.<User>findById(telegramId).onItem().ifNull().failWith(() -> new UnknownUserException(telegramId));
    }

    /** By Telegram id when the query is a number, else by username prefix (with or without the @), any case. */
    @WithSession
    public Uni<List<User>> search(String query, int limit) {
        String q = query.strip();
        if (q.matches("\\d{1,19}")) {
            return User.<User>findById(Long.parseLong(q)).map(user -> user == null ? List.of() : List.of(user));
        }
        String prefix = (q.startsWith("@") ? q.substring(1) : q)
                .toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("q: a Telegram id or @username is required");
        }
        return User.<User>find("lower(username) like ?1 escape '\\' order by updatedAt desc", prefix + "%")
                .page(Page.ofSize(limit))
                .list();
    }

    @WithSession
    public Uni<List<LedgerEntry>> ledger(long telegramId, int limit) {
        return user(telegramId)
                .flatMap(user -> LedgerEntry.<LedgerEntry>find("userId", Sort.descending("id"), telegramId)
                        .page(Page.ofSize(limit))
                        .list());
    }

    /**
     * Credits (positive) or debits (negative) a wallet by hand. The entry, the balance and the audit row commit
     * together; the same idempotency key replayed with the same amount and reason changes nothing and answers the
     * first entry; with another amount or reason it is refused (422), as is an amount over the configured limit.
     */
    @WithTransaction
    @WithSpan("WalletService.adjust")
    public Uni<Adjustment> adjust(
            long telegramId, Money amount, String reason, String idempotencyKey, Operator operator) {
        if (Math.abs(amount.micros()) > adjustmentLimit.micros()) {
            return Uni.createFrom()
                    .failure(new UnprocessableException(
                            "amount: an adjustment may move at most " + adjustmentLimit.plain() + " USDT"));
        }
        String key = LedgerKeys.adjustment(telegramId, idempotencyKey);
        return user(telegramId)
                .flatMap(user -> ledger.adjust(telegramId, amount, reason, key))
                .onFailure(LedgerKeyReusedException.class)
                .transform(reused ->
                        new UnprocessableException("Idempotency-Key was already used for a different adjustment"))
                .invoke(change -> {
                    if (change.replayed()
                            && (change.entry().amountMicros != amount.micros()
                                    || !Objects.equals(change.entry().reference, reason))) {
                        throw new UnprocessableException("Idempotency-Key was already used for a different adjustment");
                    }
                })
                .call(change -> change.replayed()
                        ? Uni.createFrom().voidItem()
                        : audit.record(
                                "wallet.adjust",
                                "user:" + telegramId,
                                operator,
                                "amount=" + amount.plain() + " reason=" + reason))
                .call(change -> change.replayed() || !amount.isPositive()
                        ? Uni.createFrom().voidItem()
                        : notices.credited(
                                telegramId,
                                CreditNotices.Kind.CREDIT_ADJUSTED,
                                key,
                                amount,
                                Money.ofMicros(change.entry().balanceAfterMicros)))
                .invoke(change -> LOG.infof(
                        "event=wallet_adjusted userId=%d amount=%s replayed=%s",
                        telegramId, amount.plain(), change.replayed()))
                .map(change -> new Adjustment(change.entry(), change.replayed()));
    }

    public record Adjustment(LedgerEntry entry, boolean replayed) {}
}
