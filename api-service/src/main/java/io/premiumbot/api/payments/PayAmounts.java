package io.premiumbot.api.payments;

import java.time.Duration;
import java.time.Instant;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.PaymentRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Allocates the unique on-chain amount of a payment request: the base plus a suffix of 0.0001 to 0.9999 USDT
 * (9,999 amounts per base). An amount stays its request's from creation until its expiry plus the late-payment
 * quarantine; the database's exclusion constraint refuses a second holder in that time, whatever the first's
 * status. One statement samples random suffixes, keeps one nobody holds and inserts it; a rare race loser picks
 * again. A customer holds at most {@code payments.max-open-requests} open requests.
 */
@ApplicationScoped
public class PayAmounts {

    /** An open request with less time left is no use to a customer about to send money: asking again makes a new one. */
    public static final Duration MIN_TIME_LEFT_TO_REUSE = Duration.ofMinutes(5);

    static final long SUFFIX_STEP_MICROS = 100;
    static final int SUFFIXES = 9_999;
    private static final int CANDIDATES_PER_ATTEMPT = 32;
    private static final int ATTEMPTS = 5;

    private static final String ALLOCATE = """
            insert into payment_requests (user_id, order_id, amount_micros, base_micros, status, created_at, expires_at, held_until)
            select ?1, ?2, free.candidate, cast(?5 as bigint), 'OPEN', ?3, ?4, ?6
            from (select distinct cast(?5 as bigint) + (1 + floor(random() * cast(?7 as integer)))::bigint * cast(?8 as bigint) as candidate
                  from generate_series(1, cast(?9 as integer))) as free
            where not exists (select 1 from payment_requests r where r.amount_micros = free.candidate and r.held_until > ?3)
            limit 1
            on conflict do nothing
            returning amount_micros""";

    // the last attempt looks at every suffix, so the last free amounts of a busy base are found too
    private static final String ALLOCATE_ANY = """
            insert into payment_requests (user_id, order_id, amount_micros, base_micros, status, created_at, expires_at, held_until)
            select ?1, ?2, free.candidate, cast(?5 as bigint), 'OPEN', ?3, ?4, ?6
            from (select cast(?5 as bigint) + s::bigint * cast(?8 as bigint) as candidate
                  from generate_series(1, cast(?7 as integer)) as s) as free
            where not exists (select 1 from payment_requests r where r.amount_micros = free.candidate and r.held_until > ?3)
            order by random()
            limit 1
            on conflict do nothing
            returning amount_micros""";

    // serialises one customer's requests, so the cap holds when two of their updates race
    // HQL, not native: the plan cache keeps a native select whose result column it discovered as a new entry each call
    private static final String LOCK_CUSTOMER = "select u.balanceMicros from User u where u.telegramId = :id";

    private static final String OPEN_OF_CUSTOMER = """
            select count(*), coalesce(cast(extract(epoch from min(expires_at)) * 1000 as bigint), 0)
            from payment_requests where user_id = ?1 and status = 'OPEN' and expires_at > ?2""";

    private final ApiConfig.Payments config;

    public PayAmounts(ApiConfig.Payments config) {
        this.config = config;
    }

    /**
     * Within the caller's transaction. {@code orderId} is null for a top-up. Fails with
     * {@link TooManyOpenRequestsException} when the customer already holds the most open requests allowed, and with
     * {@link NoFreePayAmountException} when no amount above {@code base} is free.
     */
    public Uni<Money> allocate(long userId, String orderId, Money base, Instant now, Instant expiresAt) {
        return lockCustomer(userId)
                .flatMap(locked -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(OPEN_OF_CUSTOMER, Object[].class)
                                .setParameter(1, userId)
                                .setParameter(2, now)
                                .getSingleResult()))
                .flatMap(open -> {
                    long count = ((Number) open[0]).longValue();
                    if (count >= config.maxOpenRequests()) {
                        return Uni.createFrom()
                                .failure(new TooManyOpenRequestsException(
                                        userId, count, Instant.ofEpochMilli(((Number) open[1]).longValue())));
                    }
                    return attempt(userId, orderId, base, now, expiresAt, 1);
                });
    }

    /**
     * Locks the customer's row until the caller's transaction ends and answers their balance as it is now: their
     * concurrent updates then look for a reusable request, count and allocate one after the other.
     */
    public Uni<Money> lockCustomer(long userId) {
        return Panache.getSession()
                .flatMap(session -> session.createSelectionQuery(LOCK_CUSTOMER, Long.class)
                        .setParameter("id", userId)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .getSingleResultOrNull())
                .map(balance -> balance == null ? Money.ZERO : Money.ofMicros(balance));
    }

    /** The customer's latest open top-up request for exactly {@code base} still open at {@code stillOpenAt}, or null. */
    public Uni<PaymentRequest> openTopUp(long userId, Money base, Instant stillOpenAt) {
        return PaymentRequest.<PaymentRequest>find(
                        "userId = ?1 and orderId is null and baseMicros = ?2 and status = ?3 and expiresAt > ?4 order by createdAt desc",
                        userId,
                        base.micros(),
                        PaymentRequest.Status.OPEN,
                        stillOpenAt)
                .firstResult();
    }

    private Uni<Money> attempt(long userId, String orderId, Money base, Instant now, Instant expiresAt, int attempt) {
        Instant heldUntil = expiresAt.plus(config.quarantine());
        boolean last = attempt >= ATTEMPTS;
        return Panache.getSession()
                .flatMap(session -> {
                    var query = session.createNativeQuery(last ? ALLOCATE_ANY : ALLOCATE, Long.class)
                            .setParameter(1, userId)
                            .setParameter(2, orderId)
                            .setParameter(3, now)
                            .setParameter(4, expiresAt)
                            .setParameter(5, base.micros())
                            .setParameter(6, heldUntil)
                            .setParameter(7, SUFFIXES)
                            .setParameter(8, SUFFIX_STEP_MICROS);
                    return (last ? query : query.setParameter(9, CANDIDATES_PER_ATTEMPT)).getSingleResultOrNull();
                })
                .flatMap(amount -> {
                    if (amount != null) {
                        return Uni.createFrom().item(Money.ofMicros(amount));
                    }
                    if (last) {
                        return Uni.createFrom().failure(new NoFreePayAmountException(base));
                    }
                    return attempt(userId, orderId, base, now, expiresAt, attempt + 1);
                });
    }
}
