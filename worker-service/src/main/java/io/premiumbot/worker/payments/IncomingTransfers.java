package io.premiumbot.worker.payments;

import java.time.Instant;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.premiumbot.model.ledger.Ledger;
import io.premiumbot.model.ledger.LedgerKeys;
import io.premiumbot.model.ledger.LedgerReason;
import io.premiumbot.model.ledger.Wallet;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.PayMethod;
import io.premiumbot.model.payment.PaymentRequest;
import io.premiumbot.worker.notify.CustomerNotifications.WalletCredit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Books one incoming TRC20 transfer event, in one transaction: record it once by its {@link TransferEvent#id() event
 * id} (a transaction may carry several transfers to us), find the request that held its exact amount at its block
 * time, credit that request's holder (ledger key {@code trc20:<event id>}), and when the
 * transfer came while the request was open, settle the request and pay its order from the wallet (reviving an order
 * the expiry job closed meanwhile). The database lets only one request hold an amount at a time (open, then
 * quarantined for late payments), so the holder is never ambiguous; a transfer nobody held the amount for stays
 * UNMATCHED for the operator, never credited by guessing (a sending address may be an exchange's, shared by
 * thousands). The payments row's unique event id decides between replicas or overlapping polls.
 */
@ApplicationScoped
public class IncomingTransfers {

    private static final Logger LOG = Logger.getLogger(IncomingTransfers.class);

    static final String PROVIDER = "TRC20";
    private static final int USDT_DECIMALS = 6;
    /** Up to 18 digits always fits a long; real USDT amounts are far below. */
    private static final Pattern VALUE = Pattern.compile("\\d{1,18}");

    private static final String RECORD = """
            insert into payments (provider, external_id, currency, amount_micros, from_address, status, occurred_at, created_at)
            values ('TRC20', ?1, 'USDT', ?2, ?3, 'UNMATCHED', ?4, now())
            on conflict (provider, external_id) do nothing
            returning id""";

    private static final String MARK_CREDITED = """
            update payments set status = 'CREDITED', user_id = ?2, request_id = ?3 where id = ?1 and status = 'UNMATCHED'""";

    // EXPIRED too: the expiry job may have closed a request whose in-time payment TronGrid showed only later
    private static final String MARK_REQUEST_PAID = """
            update payment_requests set status = 'PAID', paid_at = ?2 where id = ?1 and status in ('OPEN', 'EXPIRED')""";

    private final Ledger ledger;
    private final Wallet wallet;
    private final TronConfig config;

    public IncomingTransfers(Ledger ledger, Wallet wallet, TronConfig config) {
        this.ledger = ledger;
        this.wallet = wallet;
        this.config = config;
    }

    public Uni<TransferOutcome> book(TransferEvent event, String receiveAddress) {
        Trc20Transfer transfer = event.transfer();
        String refusal = refusal(transfer, receiveAddress);
        if (refusal != null) {
            LOG.infof("event=trc20_transfer_ignored tx=%s reason=%s", transfer.transactionId(), refusal);
            return Uni.createFrom().item(TransferOutcome.ignored(refusal));
        }
        Money amount = Money.ofMicros(Long.parseLong(transfer.value()));
        String eventId = event.id();
        return Panache.withTransaction(() -> record(eventId, transfer, amount)
                        .flatMap(paymentId -> paymentId == null
                                ? Uni.createFrom().item(TransferOutcome.duplicate())
                                : attribute(paymentId, eventId, transfer, amount)))
                .invoke(outcome -> log(eventId, transfer, amount, outcome));
    }

    /**
     * The payer is whoever's payment request held exactly this amount at the block time; with none, the payment stays
     * UNMATCHED for the operator to assign. Never a guess from the sending address.
     */
    private Uni<TransferOutcome> attribute(long paymentId, String eventId, Trc20Transfer transfer, Money amount) {
        return holder(amount, transfer.blockTime())
                .flatMap(request -> request == null
                        ? Uni.createFrom().item(TransferOutcome.unmatched())
                        : credit(paymentId, eventId, transfer, amount, request));
    }

    /** Why a transfer is not a USDT payment to us, or null when it is. The symbol is never trusted: fake tokens exist. */
    String refusal(Trc20Transfer transfer, String receiveAddress) {
        if (!config.usdtContract().equals(transfer.tokenAddress())) {
            return "not_usdt_contract";
        }
        if (transfer.tokenDecimals() == null || transfer.tokenDecimals() != USDT_DECIMALS) {
            return "decimals_not_6";
        }
        if (!receiveAddress.equals(transfer.to())) {
            return "not_to_receive_address";
        }
        if (!"Transfer".equals(transfer.type())) {
            return "not_a_transfer";
        }
        if (transfer.value() == null
                || !VALUE.matcher(transfer.value()).matches()
                || Long.parseLong(transfer.value()) == 0) {
            return "no_positive_value";
        }
        return null;
    }

    private static Uni<Long> record(String eventId, Trc20Transfer transfer, Money amount) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(RECORD, Long.class)
                        .setParameter(1, eventId)
                        .setParameter(2, amount.micros())
                        .setParameter(3, transfer.from())
                        .setParameter(4, transfer.blockTime())
                        .getSingleResultOrNull());
    }

    /** The request holding exactly this amount at the block time (from its creation to its quarantine's end), or null. */
    private static Uni<PaymentRequest> holder(Money amount, Instant blockTime) {
        // at most one row: the exclusion constraint refuses two requests holding one amount at the same time
        return PaymentRequest.<PaymentRequest>find(
                        "amountMicros = ?1 and createdAt <= ?2 and heldUntil > ?2", amount.micros(), blockTime)
                .firstResult();
    }

    private Uni<TransferOutcome> credit(
            long paymentId, String eventId, Trc20Transfer transfer, Money amount, PaymentRequest request) {
        String hash = transfer.transactionId();
        // the reference is the transaction, for finding it on chain; the key is the event, so each credits once
        return ledger.credit(request.userId, amount, LedgerReason.DEPOSIT, hash, LedgerKeys.deposit(PROVIDER, eventId))
                .call(() -> update(MARK_CREDITED, paymentId, request.userId, request.id))
                .map(change -> Money.ofMicros(change.entry().balanceAfterMicros))
                .flatMap(balance -> settleRequest(request, transfer, amount, balance, eventId));
    }

    /**
     * With the money in the payer's wallet: a transfer made after the request expired stays there (and they are
     * told); otherwise the request is paid, and so is its order when it has one and the wallet covers it.
     */
    private Uni<TransferOutcome> settleRequest(
            PaymentRequest request, Trc20Transfer transfer, Money amount, Money balance, String eventId) {
        if (transfer.blockTime().isAfter(request.expiresAt)) {
            return Uni.createFrom().item(walletOnly(WalletCredit.Kind.LATE, request, amount, balance, eventId));
        }
        return update(MARK_REQUEST_PAID, request.id, Instant.now()).flatMap(settled -> {
            if (settled == 0) {
                // the request was paid already: this is the same amount sent a second time
                return Uni.createFrom()
                        .item(walletOnly(WalletCredit.Kind.ALREADY_PAID, request, amount, balance, eventId));
            }
            if (request.orderId == null) {
                return Uni.createFrom().item(walletOnly(WalletCredit.Kind.TOP_UP, request, amount, balance, eventId));
            }
            return payOrder(request, amount, balance, eventId);
        });
    }

    private static TransferOutcome walletOnly(
            WalletCredit.Kind kind, PaymentRequest request, Money amount, Money balance, String eventId) {
        // the customer's notice is keyed by the event: two transfers of one transaction are two notices
        return TransferOutcome.walletOnly(
                new WalletCredit(kind, request.userId, amount.micros(), balance.micros(), request.orderId, eventId));
    }

    /** Pays the request's order from the wallet when it still waits (or expired while this payment was confirming). */
    private Uni<TransferOutcome> payOrder(PaymentRequest request, Money amount, Money balance, String eventId) {
        String orderId = request.orderId;
        return Panache.getSession()
                .flatMap(session -> session.find(Order.class, orderId).invoke(order -> {
                    if (order != null) {
                        session.detach(order);
                    }
                }))
                .flatMap(order -> {
                    Money price = Money.ofMicros(order.priceMicros);
                    if (!balance.covers(price)) {
                        return Uni.createFrom()
                                .item(walletOnly(WalletCredit.Kind.SHORT, request, amount, balance, eventId));
                    }
                    return wallet.payOrderPaidInTime(orderId, order.buyerId, price, PayMethod.TRC20)
                            .map(debit -> {
                                if (debit == null) {
                                    return walletOnly(
                                            WalletCredit.Kind.ALREADY_PAID, request, amount, balance, eventId);
                                }
                                LOG.infof(
                                        "event=order_paid orderId=%s method=TRC20 months=%d price=%s",
                                        orderId, order.months, price.plain());
                                return TransferOutcome.paidOrder(request.userId, orderId);
                            });
                });
    }

    private static Uni<Integer> update(String sql, Object... params) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return query.executeUpdate();
        });
    }

    private static void log(String eventId, Trc20Transfer transfer, Money amount, TransferOutcome outcome) {
        switch (outcome.kind()) {
            case CREDITED ->
                LOG.infof(
                        "event=trc20_transfer_credited transfer=%s amount=%s userId=%d as=%s paidOrder=%s",
                        eventId, amount.plain(), outcome.userId(), outcome.detail(), outcome.paidOrderId());
            case UNMATCHED ->
                LOG.warnf(
                        "event=trc20_transfer_unmatched transfer=%s amount=%s from=%s",
                        eventId, amount.plain(), transfer.from());
            case DUPLICATE -> LOG.debugf("event=trc20_transfer_seen_before transfer=%s", eventId);
            case IGNORED -> {
                // logged where it was refused
            }
        }
    }
}
