package io.premiumbot.api.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.payment.PaymentRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Allocates the unique on-chain amount of a payment request: the base plus a suffix below 1 USDT. USDT has 6
 * decimals, so a base has {@link #AMOUNTS_PER_BASE} amounts (0.000001 to 0.999999); the 9,999 with four decimals
 * (0.0001 to 0.9999), easier to type, are handed out first, the rest once those are taken. The suffix stays below
 * 1 USDT so the amounts of two prices a dollar or more apart never mix. An amount stays its request's from creation
 * until its expiry plus the late-payment quarantine; the database's exclusion constraint refuses a second holder in
 * that time, whatever the first's status. One statement samples random suffixes, keeps one nobody holds and inserts
 * it; a rare race loser picks again; a nearly full tier is searched to its last free amount. A customer holds at most
 * {@code payments.max-open-requests} open requests and {@code payments.max-unpaid-requests} unpaid amounts (open, or
 * expired and still in quarantine), so nobody can hold a price's amounts with throwaway accounts.
 */
@ApplicationScoped
public class PayAmounts {

    /** An open request with less time left is no use to a customer about to send money: asking again makes a new one. */
    public static final Duration MIN_TIME_LEFT_TO_REUSE = Duration.ofMinutes(5);

    /** Amounts above one base: every 6-decimal suffix from 0.000001 to 0.999999 USDT. */
    public static final int AMOUNTS_PER_BASE = 999_999;

    /** A run of suffixes: every {@code stepMicros} micro-USDT, {@code count} of them. */
    record Tier(long stepMicros, int count) {}

    /** Four decimals first (easy to type), then all six. */
    static final List<Tier> TIERS = List.of(new Tier(100, 9_999), new Tier(1, AMOUNTS_PER_BASE));

    private static final int CANDIDATES_PER_ATTEMPT = 32;
    private static final int RANDOM_ATTEMPTS_PER_TIER = 2;

    private static final String ALLOCATE = """
            insert into payment_requests (user_id, order_id, amount_micros, base_micros, status, created_at, expires_at, held_until)
            select ?1, ?2, free.candidate, cast(?5 as bigint), 'OPEN', ?3, ?4, ?6
            from (select distinct cast(?5 as bigint) + (1 + floor(random() * cast(?7 as integer)))::bigint * cast(?8 as bigint) as candidate
                  from generate_series(1, cast(?9 as integer))) as free
            where not exists (select 1 from payment_requests r where r.amount_micros = free.candidate and r.held_until > ?3)
            limit 1
            on conflict do nothing
            returning amount_micros""";

    // the smallest free amount of a tier is its first, or one step above a held one: searching those finds the last
    // free amounts of a busy base, at the cost of the amounts held now (the GiST index of the exclusion constraint)
    private static final String ALLOCATE_ANY = """
            insert into payment_requests (user_id, order_id, amount_micros, base_micros, status, created_at, expires_at, held_until)
            select ?1, ?2, free.candidate, cast(?5 as bigint), 'OPEN', ?3, ?4, ?6
            from (select cast(?5 as bigint) + cast(?8 as bigint) as candidate
                  union
                  select r.amount_micros + cast(?8 as bigint) from payment_requests r
                  where int8range(r.amount_micros, r.amount_micros, '[]')
                            && int8range(cast(?5 as bigint) + 1, cast(?5 as bigint) + (cast(?7 as integer) - 1) * cast(?8 as bigint), '[]')
                    and tstzrange(r.created_at, r.held_until, '[)') && tstzrange(?3, ?3, '[]')
                    and (r.amount_micros - cast(?5 as bigint)) % cast(?8 as bigint) = 0) as free
            where not exists (select 1 from payment_requests r where r.amount_micros = free.candidate and r.held_until > ?3)
            order by random()
            limit 1
            on conflict do nothing
            returning amount_micros""";

    // serialises one customer's requests, so the cap holds when two of their updates race
    // HQL, not native: the plan cache keeps a native select whose result column it discovered as a new entry each call
    private static final String LOCK_CUSTOMER = "select u.balanceMicros from User u where u.telegramId = :id";

    // every unpaid request whose amount is still held (payment_requests_user_unpaid); the open ones among them
    private static final String HELD_BY_CUSTOMER = """
            select count(*) filter (where status = 'OPEN' and expires_at > ?2),
                   coalesce(cast(extract(epoch from min(expires_at) filter (where status = 'OPEN' and expires_at > ?2)) * 1000 as bigint), 0),
                   count(*),
                   coalesce(cast(extract(epoch from min(held_until)) * 1000 as bigint), 0)
            from payment_requests where user_id = ?1 and status <> 'PAID' and held_until > ?2""";

    private final ApiConfig.Payments config;

    public PayAmounts(ApiConfig.Payments config) {
        this.config = config;
    }

    /**
     * Within the caller's transaction. {@code orderId} is null for a top-up. Fails with
     * {@link TooManyOpenRequestsException} when the customer already holds the most open requests allowed, with
     * {@link TooManyUnpaidRequestsException} when they hold the most unpaid amounts allowed, and with
     * {@link NoFreePayAmountException} when no amount above {@code base} is free.
     */
    public Uni<Money> allocate(long userId, String orderId, Money base, Instant now, Instant expiresAt) {
        return lockCustomer(userId)
                .flatMap(locked -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(HELD_BY_CUSTOMER, Object[].class)
                                .setParameter(1, userId)
                                .setParameter(2, now)
                                .getSingleResult()))
                .flatMap(held -> {
                    long open = ((Number) held[0]).longValue();
                    if (open >= config.maxOpenRequests()) {
                        return Uni.createFrom()
                                .failure(new TooManyOpenRequestsException(
                                        userId, open, Instant.ofEpochMilli(((Number) held[1]).longValue())));
                    }
                    long unpaid = ((Number) held[2]).longValue();
                    if (unpaid >= config.maxUnpaidRequests()) {
                        return Uni.createFrom()
                                .failure(new TooManyUnpaidRequestsException(
                                        userId, unpaid, Instant.ofEpochMilli(((Number) held[3]).longValue())));
                    }
                    return attempt(userId, orderId, base, now, expiresAt, 0, 1);
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

    /** Attempt {@code attempt} in tier {@code tier}: random samples first, then the search for what is left. */
    private Uni<Money> attempt(
            long userId, String orderId, Money base, Instant now, Instant expiresAt, int tier, int attempt) {
        Tier suffixes = TIERS.get(tier);
        boolean search = attempt > RANDOM_ATTEMPTS_PER_TIER;
        return Panache.getSession()
                .flatMap(session -> {
                    var query = session.createNativeQuery(search ? ALLOCATE_ANY : ALLOCATE, Long.class)
                            .setParameter(1, userId)
                            .setParameter(2, orderId)
                            .setParameter(3, now)
                            .setParameter(4, expiresAt)
                            .setParameter(5, base.micros())
                            .setParameter(6, expiresAt.plus(config.quarantine()))
                            .setParameter(7, suffixes.count())
                            .setParameter(8, suffixes.stepMicros());
                    return (search ? query : query.setParameter(9, CANDIDATES_PER_ATTEMPT)).getSingleResultOrNull();
                })
                .flatMap(amount -> {
                    if (amount != null) {
                        return Uni.createFrom().item(Money.ofMicros(amount));
                    }
                    if (!search) {
                        return attempt(userId, orderId, base, now, expiresAt, tier, attempt + 1);
                    }
                    if (tier + 1 < TIERS.size()) {
                        return attempt(userId, orderId, base, now, expiresAt, tier + 1, 1);
                    }
                    return Uni.createFrom().failure(new NoFreePayAmountException(base));
                });
    }
}
