package io.premiumbot.api.orders;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.payments.PayAmounts;
import io.premiumbot.api.payments.StarSupply;
import io.premiumbot.api.payments.StarsGuard;
import io.premiumbot.api.payments.StarsSoldOutException;
import io.premiumbot.api.promo.PromoCodes;
import io.premiumbot.api.promo.Quote;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.ledger.InsufficientFundsException;
import io.premiumbot.model.ledger.Wallet;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.premiumbot.model.order.Order;
import io.premiumbot.model.order.OrderIds;
import io.premiumbot.model.order.OrderStatus;
import io.premiumbot.model.order.PayMethod;
import io.premiumbot.model.user.User;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates orders. A wallet that covers the price pays at once: the order row, the debit with its ledger entry
 * and the move to PAID are one transaction (the caller's). Otherwise the order waits for an on-chain payment of
 * a unique amount. A promo code's use is booked in the same transaction as the order it discounts. Before the
 * transaction commits, the bot's Stars must cover the gift ({@link StarSupply}): otherwise nothing is written.
 */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);

    private static final String OPEN_ON_CHAIN = """
            select o.id from orders o join payment_requests r on r.order_id = o.id
            where o.buyer_id = ?1 and o.recipient_id = ?2 and o.months = ?3
              and o.price_micros = ?5 and o.status = 'PENDING_PAYMENT' and o.pay_method = 'TRC20' and r.status = 'OPEN'
              and r.expires_at > ?4
            order by r.created_at desc limit 1""";

    private final Prices prices;
    private final Wallet wallet;
    private final PayAmounts payAmounts;
    private final ApiConfig.Payments payments;
    private final PromoCodes promos;
    private final StarSupply supply;
    private final StarsGuard guard;

    public OrderService(
            Prices prices,
            Wallet wallet,
            PayAmounts payAmounts,
            ApiConfig.Payments payments,
            PromoCodes promos,
            StarSupply supply,
            StarsGuard guard) {
        this.supply = supply;
        this.promos = promos;
        this.guard = guard;
        this.prices = prices;
        this.wallet = wallet;
        this.payAmounts = payAmounts;
        this.payments = payments;
    }

    /** How the buyer chose to pay. */
    public enum PayChoice {
        /** The wallet if it covers the price, otherwise a unique on-chain amount. */
        WALLET_OR_CHAIN,
        /** The wallet only: fails with {@link InsufficientFundsException} (and the transaction with it) when short. */
        WALLET,
        CHAIN,
        STARS
    }

    /** At today's price, with the buyer's remembered promo code where it applies. Must run inside a transaction. */
    public Uni<Purchase> buy(
            long buyerId, long recipientId, String recipientUsername, Months months, PayChoice choice) {
        return prices.listOf(months)
                .flatMap(listed -> promos.quote(buyerId, months, listed.price(), listed.stars()))
                .flatMap(quote -> buy(buyerId, recipientId, recipientUsername, quote, choice));
    }

    /**
     * At the price the buyer was shown (a confirmation's quote). Must run inside a transaction. Asking again to pay the
     * same on-chain (same months, recipient and price) while that order's request is still open answers the open order
     * instead of holding another amount. A quote with a code books its use with the order, or fails with
     * {@link io.premiumbot.api.promo.PromoCodeUnavailableException} (rolling everything back).
     */
    @WithSpan("OrderService.buy")
    public Uni<Purchase> buy(long buyerId, long recipientId, String recipientUsername, Quote quote, PayChoice choice) {
        Money price = quote.price();
        return switch (choice) {
            case WALLET_OR_CHAIN ->
                payAmounts
                        .lockCustomer(buyerId)
                        .flatMap(balance -> balance.covers(price)
                                ? createOrder(buyerId, recipientId, recipientUsername, quote)
                                        .flatMap(order -> payFromWallet(order)
                                                .onFailure(InsufficientFundsException.class)
                                                .recoverWithUni(() -> awaitPayment(order)))
                                        .call(this::covered)
                                : openOnChainOrReserve(buyerId, recipientId, recipientUsername, quote));
            case WALLET ->
                createOrder(buyerId, recipientId, recipientUsername, quote)
                        .flatMap(this::payFromWallet)
                        .call(this::covered);
            case CHAIN -> openOnChainOrReserve(buyerId, recipientId, recipientUsername, quote);
            case STARS ->
                guard.beforeInvoice(buyerId, quote.stars())
                        .chain(() -> createOrder(buyerId, recipientId, recipientUsername, quote))
                        .flatMap(this::awaitStars)
                        .call(this::covered);
        };
    }

    /**
     * The purchase's last statement: the Stars must cover its gift, or {@link StarsSoldOutException} rolls back the
     * debit, the pay amount or the invoice's order with everything else. Last, so the treasury row it locks is held
     * only until the commit.
     */
    private Uni<StarSupply.Cover> covered(Purchase purchase) {
        return supply.cover(purchase.order().id, purchase.order().starCount);
    }

    private Uni<Purchase> openOnChainOrReserve(long buyerId, long recipientId, String recipientUsername, Quote quote) {
        return payAmounts
                .lockCustomer(buyerId)
                .flatMap(balance -> Panache.getSession())
                .flatMap(session -> session.createNativeQuery(OPEN_ON_CHAIN, String.class)
                        .setParameter(1, buyerId)
                        .setParameter(2, recipientId)
                        .setParameter(3, quote.months().count())
                        .setParameter(4, Instant.now().plus(PayAmounts.MIN_TIME_LEFT_TO_REUSE))
                        .setParameter(5, quote.price().micros())
                        .getSingleResultOrNull())
                .flatMap(openId -> openId == null
                        ? createOrder(buyerId, recipientId, recipientUsername, quote)
                                .flatMap(this::awaitPayment)
                                .call(this::covered)
                        // the same pay amount again: it was covered when first handed out
                        : Panache.getSession()
                                .flatMap(session ->
                                        session.find(Order.class, openId).invoke(session::detach))
                                .flatMap(open -> payAmounts
                                        .lockCustomer(buyerId)
                                        .map(balance -> {
                                            LOG.infof("event=order_payment_request_reused orderId=%s", open.id);
                                            return (Purchase) new Purchase.AwaitingPayment(
                                                    open,
                                                    Money.ofMicros(open.payAmountMicros),
                                                    open.expiresAt,
                                                    payments.receiveAddress(),
                                                    balance);
                                        })));
    }

    private Uni<Purchase> awaitStars(Order order) {
        return Panache.getSession()
                .flatMap(session -> session.createMutationQuery(
                                "update Order o set o.payMethod = :method where o.id = :id")
                        .setParameter("method", PayMethod.STARS)
                        .setParameter("id", order.id)
                        .executeUpdate())
                .map(ignored -> {
                    order.payMethod = PayMethod.STARS;
                    LOG.infof("event=order_awaiting_stars orderId=%s stars=%d", order.id, order.starPrice());
                    return new Purchase.AwaitingStars(order);
                });
    }

    private Uni<Order> createOrder(long buyerId, long recipientId, String recipientUsername, Quote quote) {
        Instant now = Instant.now();
        Order order = new Order();
        order.id = OrderIds.next();
        order.buyerId = buyerId;
        order.recipientId = recipientId;
        order.recipientUsername = recipientUsername;
        order.months = quote.months().count();
        // the gift always costs the bot Telegram's price; the customer pays the quote's Stars price in Stars
        order.starCount = quote.months().stars();
        order.starPriceCharged = quote.stars();
        order.priceMicros = quote.price().micros();
        order.promoCodeId = quote.promoCodeId();
        order.discountMicros = quote.discount().micros();
        order.discountStars = quote.discountStars();
        order.status = OrderStatus.PENDING_PAYMENT;
        order.createdAt = now;
        order.updatedAt = now;
        order.expiresAt = now.plus(payments.requestTtl());
        // flushed for the rows that reference it, then detached: from here on the row changes only through
        // conditional updates, never through a flushed entity
        return Panache.getSession()
                .flatMap(session -> session.persist(order)
                        .call(session::flush)
                        .invoke(() -> session.detach(order))
                        .call(() -> promos.redeem(quote, buyerId, order.id))
                        .replaceWith(order));
    }

    private Uni<Purchase> payFromWallet(Order order) {
        Money price = Money.ofMicros(order.priceMicros);
        return wallet.payOrder(order.id, order.buyerId, price, PayMethod.WALLET)
                .onItem()
                .ifNull()
                .failWith(
                        () -> new IllegalStateException("order " + order.id + " left PENDING_PAYMENT while being paid"))
                .map(debit -> {
                    order.status = OrderStatus.PAID;
                    order.payMethod = PayMethod.WALLET;
                    LOG.infof(
                            "event=order_paid orderId=%s method=WALLET months=%d price=%s",
                            order.id, order.months, price.plain());
                    return new Purchase.PaidFromWallet(order, Money.ofMicros(debit.entry().balanceAfterMicros));
                });
    }

    private Uni<Purchase> awaitPayment(Order order) {
        Money price = Money.ofMicros(order.priceMicros);
        return payAmounts
                .allocate(order.buyerId, order.id, price, order.createdAt, order.expiresAt)
                .call(amount -> Panache.getSession()
                        .flatMap(session -> session.createMutationQuery(
                                        "update Order o set o.payAmountMicros = :amount, o.payMethod = :method where o.id = :id")
                                .setParameter("amount", amount.micros())
                                .setParameter("method", PayMethod.TRC20)
                                .setParameter("id", order.id)
                                .executeUpdate()))
                .flatMap(amount -> User.<User>findById(order.buyerId).map(buyer -> {
                    order.payAmountMicros = amount.micros();
                    order.payMethod = PayMethod.TRC20;
                    LOG.infof("event=order_awaiting_payment orderId=%s payAmount=%s", order.id, amount.plain());
                    return new Purchase.AwaitingPayment(
                            order,
                            amount,
                            order.expiresAt,
                            payments.receiveAddress(),
                            Money.ofMicros(buyer.balanceMicros));
                }));
    }
}
