package io.premiumbot.model.refund;

import io.premiumbot.model.ledger.Wallet;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.PayMethod;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refunds a FAILED order in the currency it was paid in, for both the worker (a gift Telegram refused) and the
 * operator: paid from the wallet or on-chain, the price goes back to the wallet and the order is REFUNDED at once;
 * paid in Stars, a Stars refund of its charge is requested and the order stays FAILED until the worker has it
 * verified. Runs in the caller's transaction.
 */
@ApplicationScoped
public class OrderRefunds {

    /** How the refund went on its way. */
    public enum Started {
        /** The price is back in the wallet; the order is REFUNDED. */
        WALLET_CREDITED,
        /** A Stars refund is requested (or was already); the worker moves the order to REFUNDED once it's done. */
        STARS_REQUESTED,
        /**
         * Paid in Stars before charge ids were kept on orders: nothing to refund automatically; the order stays FAILED
         * for the operator, who refunds it from Telegram by hand.
         */
        NO_STAR_CHARGE
    }

    private static final String ORDER = """
            select buyer_id, price_micros, pay_method, star_charge_id, coalesce(star_price, star_count - discount_stars), status from orders where id = ?1""";

    private final Wallet wallet;
    private final StarRefundRequests starRefunds;

    public OrderRefunds(Wallet wallet, StarRefundRequests starRefunds) {
        this.wallet = wallet;
        this.starRefunds = starRefunds;
    }

    /** The order must be FAILED; fails with {@link IllegalStateException} when it isn't (the caller's conflict). */
    public Uni<Started> refundFailed(String orderId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(ORDER, Object[].class)
                        .setParameter(1, orderId)
                        .getSingleResultOrNull())
                .flatMap(row -> {
                    if (row == null || !OrderStatus.FAILED.name().equals(row[5])) {
                        return Uni.createFrom()
                                .failure(new IllegalStateException("order " + orderId + " is not FAILED"));
                    }
                    long buyerId = ((Number) row[0]).longValue();
                    if (PayMethod.STARS.name().equals(row[2])) {
                        String chargeId = (String) row[3];
                        if (chargeId == null) {
                            return Uni.createFrom().item(Started.NO_STAR_CHARGE);
                        }
                        return starRefunds
                                .request(
                                        chargeId,
                                        buyerId,
                                        orderId,
                                        ((Number) row[4]).longValue(),
                                        StarRefundRequests.Reason.UNDELIVERABLE)
                                .replaceWith(Started.STARS_REQUESTED);
                    }
                    return wallet.refundOrder(orderId, buyerId, Money.ofMicros(((Number) row[1]).longValue()))
                            .flatMap(moved -> moved
                                    ? Uni.createFrom().item(Started.WALLET_CREDITED)
                                    : Uni.createFrom()
                                            .failure(new IllegalStateException(
                                                    "order " + orderId + " left FAILED while refunded")));
                });
    }
}
