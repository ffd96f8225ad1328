package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.premiumbot.model.telegram.TelegramRateLimiter.Priority;
import io.premiumbot.worker.telegram.BotApi;
import io.premiumbot.worker.telegram.TelegramConfig;
import io.premiumbot.worker.telegram.TelegramException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bot's own record of the gifts it paid for. {@code getStarTransactions} lists transactions oldest first, paged
 * by offset (at most 100 a page), so the position read so far is persisted and each read goes on from it: the list
 * can grow past any number of pages. Every {@code premium_purchase} read is stored; once a read reached the end,
 * {@link GiftAttribution} decides which attempt each gift proves. Each answered page also records, for the attempts
 * whose request was over before that page was asked for, that Telegram has caught up with them. Reads are settlement
 * reads and spend the budget with a gift's priority. Reading and deciding happen under a lease (one row), so one
 * replica resolves at a time. The same transaction that moves the cursor past a page hands the page to the
 * {@link StarTransactionSink} (the treasury keeps every transaction), so each page is kept exactly once.
 */
@ApplicationScoped
public class StarGifts {

    private static final Logger LOG = Logger.getLogger(StarGifts.class);
    static final int PAGE = 100;
    /** Telegram dates are whole seconds and clocks drift: an attempt may be stamped a little after its gift. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    /**
     * The database's time comes back with the lease: the first page is asked for after it. A cursor some reader moved
     * past pages it did not keep (a worker older than the import, during a rolling update) is wound back first.
     */
    private static final String TAKE_LEASE = """
            update star_transactions_cursor set lease_holder = ?1, lease_until = now() + make_interval(secs => ?2),
                next_offset = least(next_offset, imported_offset)
            where id = 1 and (lease_holder is null or lease_until < now())
            returning next_offset, cast(extract(epoch from now()) * 1000000 as bigint)""";

    /** The cursor past a page, with the lease; the database's time, before the next page is asked for. */
    private static final String ADVANCE = """
            update star_transactions_cursor set next_offset = ?3, imported_offset = ?3, lease_until = now() + make_interval(secs => ?4), updated_at = now()
            where id = 1 and lease_holder = ?1 and next_offset = ?2
            returning cast(extract(epoch from now()) * 1000000 as bigint)""";

    private static final String RELEASE = """
            update star_transactions_cursor set lease_holder = null, lease_until = null where id = 1 and lease_holder = ?1""";

    private static final String HOLD_LEASE =
            "select next_offset from star_transactions_cursor where id = 1 and lease_holder = ?1 for update";

    /** A gift as Telegram lists it; which attempt it proves is decided once the list was read to its end. */
    private static final String STORE_GIFT = """
            insert into star_gifts (transaction_id, user_id, months, made_at) values (?1, ?2, ?3, to_timestamp(?4))
            on conflict (transaction_id) do nothing""";

    /**
     * Telegram answered a request asked for at ?1 (database time): every attempt that may have made a gift and whose
     * own request was over by then (answered, or its call's timeout ?2 passed) was done with, one way or the other.
     */
    private static final String CAUGHT_UP = """
            update delivery_attempts a set caught_up_at = now()
            where a.caught_up_at is null and
            """ + GiftAttribution.AWAITING + """

              and (a.sent_at is not null or a.finished_at is not null or a.outcome is not null)
              and coalesce(a.finished_at, coalesce(a.sent_at, a.started_at) + make_interval(secs => ?2)) <= ?1""";

    /**
     * A read of the list under the lease: {@code complete} when it reached the end, everything listed by
     * {@code listedAt} (database time before the last page was asked for) read; {@code failed} when Telegram could not
     * answer. Neither: the budget was busy, or the read stopped at its page limit — look again.
     */
    public record Sync(String lease, boolean complete, boolean failed, Instant listedAt) {}

    private final BotApi botApi;
    private final GiftAttribution attribution;
    private final StarTransactionSink sink;
    private final int maxPages;
    private final Duration leaseFor;
    private final Duration callTimeout;

    public StarGifts(
            BotApi botApi,
            GiftAttribution attribution,
            StarTransactionSink sink,
            ReconcileConfig config,
            TelegramConfig telegram) {
        this.botApi = botApi;
        this.attribution = attribution;
        this.sink = sink;
        this.maxPages = config.starTransactionPages();
        this.leaseFor = config.starLease();
        this.callTimeout = Duration.ofMillis(telegram.timeoutMillis());
    }

    /** Runs tasks on {@code context} (the caller's safe context, where its database session lives), or in place without one. */
    static Executor on(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** Takes the lease and reads what was added since the cursor; null when another replica holds the lease. */
    public Uni<Sync> read() {
        String lease = UUID.randomUUID().toString();
        Executor home = on(Vertx.currentContext());
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(TAKE_LEASE, Object[].class)
                                .setParameter(1, lease)
                                .setParameter(2, (double) leaseFor.toSeconds())
                                .getResultList()))
                .flatMap(rows -> rows.isEmpty()
                        ? Uni.createFrom().nullItem()
                        : pages(lease, ((Number) rows.get(0)[0]).longValue(), micros(rows.get(0)[1]), 0, home));
    }

    /** Gives the lease back; call after deciding, on every path. */
    public Uni<Void> release(Sync sync) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(RELEASE)
                                .setParameter(1, sync.lease())
                                .executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<Sync> pages(String lease, long offset, Instant askedAfter, int pagesRead, Executor home) {
        return botApi.getStarTransactions((int) Math.min(offset, Integer.MAX_VALUE), PAGE, Priority.GIFT)
                // the limiter may have waited on another thread: the page is stored from the caller's context
                .emitOn(home)
                .onItemOrFailure()
                .transformToUni((page, failure) -> {
                    if (failure instanceof TelegramException.RateLimited
                            || (failure instanceof TelegramException.NotSent notSent && notSent.ourSide())) {
                        // our budget (or Telegram's flood limit, or our limiter's Redis) says "later": nothing was
                        // learned about Telegram, nothing is unclear
                        LOG.debugf("event=star_transactions_deferred offset=%d error=%s", offset, failure.getMessage());
                        return Uni.createFrom().item(new Sync(lease, false, false, askedAfter));
                    }
                    if (failure instanceof TelegramException) {
                        LOG.warnf(
                                "event=star_transactions_unreadable offset=%d error=%s", offset, failure.getMessage());
                        return Uni.createFrom().item(new Sync(lease, false, true, askedAfter));
                    }
                    if (failure != null) {
                        return Uni.createFrom().failure(failure);
                    }
                    return store(lease, offset, page, askedAfter).flatMap(storedAt -> {
                        if (storedAt == null) {
                            LOG.warnf("event=star_transactions_lease_lost offset=%d", offset);
                            return Uni.createFrom().item(new Sync(lease, false, false, askedAfter));
                        }
                        if (page.size() < PAGE) {
                            return attribute(lease, askedAfter).replaceWith(new Sync(lease, true, false, askedAfter));
                        }
                        if (pagesRead + 1 >= maxPages) {
                            return Uni.createFrom().item(new Sync(lease, false, false, askedAfter));
                        }
                        return pages(lease, offset + page.size(), storedAt, pagesRead + 1, home);
                    });
                });
    }

    /** The list was read to its end: decide what its gifts prove, in one transaction that holds the lease. */
    private Uni<Void> attribute(String lease, Instant listedAt) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(HOLD_LEASE, Long.class)
                                .setParameter(1, lease)
                                .getResultList()
                                .flatMap(held -> held.isEmpty()
                                        ? Uni.createFrom().item(0)
                                        : attribution
                                                .attribute(session, listedAt)
                                                .flatMap(waiting -> attribution
                                                        .attributeDelivered(session, listedAt)
                                                        .map(delivered -> waiting + delivered)))))
                .invoke(decided -> {
                    if (decided > 0) {
                        LOG.infof("event=star_gifts_attributed attempts=%d", decided);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The page's gifts, the attempts Telegram caught up with, and the cursor past them, in one transaction that holds
     * the lease; the database's time after it (the next page is asked for later), or null when the lease was lost.
     */
    private Uni<Instant> store(String lease, long offset, JsonArray page, Instant askedAfter) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
                    Uni<Integer> chain = session.createNativeQuery(CAUGHT_UP)
                            .setParameter(1, askedAfter)
                            .setParameter(2, callTimeout.toMillis() / 1000.0)
                            .executeUpdate();
                    for (int i = 0; i < page.size(); i++) {
                        JsonObject transaction = page.getJsonObject(i);
                        JsonObject receiver = transaction.getJsonObject("receiver");
                        if (!isPremiumPurchase(receiver)) {
                            continue;
                        }
                        chain = chain.chain(() -> session.createNativeQuery(STORE_GIFT)
                                .setParameter(1, transaction.getString("id"))
                                .setParameter(2, receiver.getJsonObject("user").getLong("id"))
                                .setParameter(3, receiver.getInteger("premium_subscription_duration", 0))
                                .setParameter(4, (double) transaction.getLong("date", 0L))
                                .executeUpdate());
                    }
                    return chain.chain(() -> sink.keep(session, offset, page))
                            .chain(() -> session.createNativeQuery(ADVANCE, Long.class)
                                    .setParameter(1, lease)
                                    .setParameter(2, offset)
                                    .setParameter(3, offset + page.size())
                                    .setParameter(4, (double) leaseFor.toSeconds())
                                    .getResultList())
                            // another holder took over: roll back this page's gifts rather than write them twice
                            .map(now -> {
                                if (now.size() != 1) {
                                    throw new LeaseLost();
                                }
                                return micros(now.get(0));
                            });
                }))
                .onFailure(LeaseLost.class)
                .recoverWithNull();
    }

    private static Instant micros(Object epochMicros) {
        long value = ((Number) epochMicros).longValue();
        return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
    }

    private static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super("star transactions lease lost", null, false, false);
        }
    }

    private static boolean isPremiumPurchase(JsonObject receiver) {
        return receiver != null
                && "user".equals(receiver.getString("type"))
                && "premium_purchase".equals(receiver.getString("transaction_type"))
                && receiver.getJsonObject("user") != null;
    }
}
