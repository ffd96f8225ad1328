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
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.PayMethod;
import io.premiumbot.model.payment.PaymentRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Books one incoming TRC20 transfer (SPEC §4), in one transaction: record it once by its hash, find the payer,
 * credit the wallet (ledger key {@code trc20:<hash>}), and when it pays an open request of a pending order whose
 * price the wallet now covers, pay the order from the wallet. The payments row's unique hash decides between
 * replicas or overlapping polls: whoever doesn't insert it does nothing else.
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

    private static final String PAYER_BY_ADDRESS = """
            select user_id from payments
            where provider = 'TRC20' and from_address = ?1 and user_id is not null
            order by occurred_at desc limit 1""";

    private static final String MARK_CREDITED = """
            update payments set status = 'CREDITED', user_id = ?2, request_id = ?3 where id = ?1 and status = 'UNMATCHED'""";

    private static final String MARK_REQUEST_PAID = """
            update payment_requests set status = 'PAID', paid_at = ?2 where id = ?1 and status = 'OPEN'""";

    private final Ledger ledger;
    private final Wallet wallet;
    private final TronConfig config;

    public IncomingTransfers(Ledger ledger, Wallet wallet, TronConfig config) {
        this.ledger = ledger;
        this.wallet = wallet;
        this.config = config;
    }

    /** What the payer of a transfer was found by. */
    private record Payer(long userId, PaymentRequest request, String how) {
    }

    public Uni<TransferOutcome> book(Trc20Transfer transfer, String receiveAddress) {
        String refusal = refusal(transfer, receiveAddress);
        if (refusal != null) {
            LOG.infof("event=trc20_transfer_ignored tx=%s reason=%s", transfer.transactionId(), refusal);
            return Uni.createFrom().item(TransferOutcome.ignored(refusal));
        }
        Money amount = Money.ofMicros(Long.parseLong(transfer.value()));
        return Panache.withTransaction(() -> record(transfer, amount).flatMap(paymentId -> paymentId == null
                ? Uni.createFrom().item(TransferOutcome.duplicate())
                : findPayer(transfer, amount).flatMap(payer -> payer == null
                        ? Uni.createFrom().item(TransferOutcome.unmatched())
                        : credit(paymentId, transfer, amount, payer))))
                .invoke(outcome -> log(transfer, amount, outcome));
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
        if (transfer.value() == null || !VALUE.matcher(transfer.value()).matches() || Long.parseLong(transfer.value()) == 0) {
            return "no_positive_value";
        }
        return null;
    }

    private static Uni<Long> record(Trc20Transfer transfer, Money amount) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(RECORD, Long.class)
                .setParameter(1, transfer.transactionId())
                .setParameter(2, amount.micros())
                .setParameter(3, transfer.from())
                .setParameter(4, transfer.blockTime())
                .getSingleResultOrNull());
    }

    /**
     * An OPEN request for exactly this amount made before the transfer; else the latest such request in any state
     * (a late payment); else the user this address paid for before; else nobody.
     */
    private static Uni<Payer> findPayer(Trc20Transfer transfer, Money amount) {
        String sameAmountBefore = "amountMicros = ?1 and createdAt <= ?2";
        return PaymentRequest.<PaymentRequest>find(sameAmountBefore + " and status = ?3", Sort.descending("createdAt"),
                        amount.micros(), transfer.blockTime(), PaymentRequest.Status.OPEN).firstResult()
                .flatMap(open -> open != null
                        ? Uni.createFrom().item(new Payer(open.userId, open, "open_request"))
                        : PaymentRequest.<PaymentRequest>find(sameAmountBefore, Sort.descending("createdAt").and("id", Sort.Direction.Descending),
                                amount.micros(), transfer.blockTime()).firstResult()
                                .flatMap(earlier -> earlier != null
                                        ? Uni.createFrom().item(new Payer(earlier.userId, earlier, "earlier_request"))
                                        : payerByAddress(transfer.from())));
    }

    private static Uni<Payer> payerByAddress(String from) {
        if (from == null || from.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(PAYER_BY_ADDRESS, Long.class)
                        .setParameter(1, from)
                        .getSingleResultOrNull())
                .map(userId -> userId == null ? null : new Payer(userId, null, "known_address"));
    }

    private Uni<TransferOutcome> credit(long paymentId, Trc20Transfer transfer, Money amount, Payer payer) {
        String hash = transfer.transactionId();
        Long requestId = payer.request() == null ? null : payer.request().id;
        return ledger.credit(payer.userId(), amount, LedgerReason.DEPOSIT, hash, LedgerKeys.deposit(PROVIDER, hash))
                .call(() -> update(MARK_CREDITED, paymentId, payer.userId(), requestId))
                .flatMap(change -> payingRequest(payer, transfer)
                        ? settleRequest(payer.request(), Money.ofMicros(change.entry().balanceAfterMicros))
                        : Uni.createFrom().<String>nullItem())
                .map(paidOrderId -> TransferOutcome.credited(payer.userId(), paidOrderId, payer.how()));
    }

    /** Only an OPEN request, paid within its time, is settled; anything else just stays in the wallet. */
    private static boolean payingRequest(Payer payer, Trc20Transfer transfer) {
        PaymentRequest request = payer.request();
        return request != null && request.status == PaymentRequest.Status.OPEN && !transfer.blockTime().isAfter(request.expiresAt);
    }

    /** OPEN → PAID; then its order, if still waiting and covered by the wallet, is paid. The order id paid, or null. */
    private Uni<String> settleRequest(PaymentRequest request, Money balance) {
        return update(MARK_REQUEST_PAID, request.id, Instant.now())
                .flatMap(updated -> updated == 1 && request.orderId != null
                        ? payOrder(request.orderId, balance)
                        : Uni.createFrom().<String>nullItem());
    }

    private Uni<String> payOrder(String orderId, Money balance) {
        return Panache.getSession()
                .flatMap(session -> session.find(Order.class, orderId).invoke(order -> {
                    if (order != null) {
                        session.detach(order);
                    }
                }))
                .flatMap(order -> {
                    if (order == null || order.status != OrderStatus.PENDING_PAYMENT || !balance.covers(Money.ofMicros(order.priceMicros))) {
                        return Uni.createFrom().<String>nullItem();
                    }
                    Money price = Money.ofMicros(order.priceMicros);
                    return wallet.payOrder(orderId, order.buyerId, price, PayMethod.TRC20)
                            .map(debit -> {
                                if (debit == null) {
                                    return null;
                                }
                                LOG.infof("event=order_paid orderId=%s method=TRC20 months=%d price=%s", orderId, order.months, price.plain());
                                return orderId;
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

    private static void log(Trc20Transfer transfer, Money amount, TransferOutcome outcome) {
        switch (outcome.kind()) {
            case CREDITED -> LOG.infof("event=trc20_transfer_credited tx=%s amount=%s userId=%d matchedBy=%s paidOrder=%s",
                    transfer.transactionId(), amount.plain(), outcome.userId(), outcome.detail(), outcome.paidOrderId());
            case UNMATCHED -> LOG.warnf("event=trc20_transfer_unmatched tx=%s amount=%s from=%s", transfer.transactionId(),
                    amount.plain(), transfer.from());
            case DUPLICATE -> LOG.debugf("event=trc20_transfer_seen_before tx=%s", transfer.transactionId());
            case IGNORED -> {
                // logged where it was refused
            }
        }
    }
}
