package io.premiumbot.worker.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

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
 * can grow past any number of pages. Every {@code premium_purchase} read is stored and attributed to the attempt it
 * proves: the earliest unproven attempt for that recipient and month count sent shortly before the gift's date.
 * Reading and deciding happen under a lease (one row), so one replica resolves at a time.
 */
@ApplicationScoped
public class StarGifts {

    private static final Logger LOG = Logger.getLogger(StarGifts.class);
    static final int PAGE = 100;
    /** Telegram dates are whole seconds and clocks drift: an attempt may be stamped a little after its gift. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    private static final String TAKE_LEASE = """
            update star_transactions_cursor set lease_holder = ?1, lease_until = now() + make_interval(secs => ?2)
            where id = 1 and (lease_holder is null or lease_until < now())
            returning next_offset""";

    private static final String ADVANCE = """
            update star_transactions_cursor set next_offset = ?3, lease_until = now() + make_interval(secs => ?4), updated_at = now()
            where id = 1 and lease_holder = ?1 and next_offset = ?2""";

    private static final String RELEASE = """
            update star_transactions_cursor set lease_holder = null, lease_until = null where id = 1 and lease_holder = ?1""";

    /**
     * One gift, attributed in the same statement to the attempt it proves: for the recipient and months, whose request
     * (sent_at, or started_at before it existed) was out when the gift was made — sent no later than the gift plus the
     * slack, and over (answered, or timed out) no earlier than the gift minus the slack and the visibility lag — not
     * refused, not proven absent, not proven yet; the earliest such attempt.
     */
    private static final String STORE_GIFT = """
            insert into star_gifts (transaction_id, user_id, months, made_at, attempt_id)
            values (?1, ?2, ?3, to_timestamp(?4), (
                select a.id from delivery_attempts a join orders o on o.id = a.order_id
                where o.recipient_id = ?2 and o.months = ?3
                  and coalesce(a.sent_at, a.started_at) <= to_timestamp(?4) + make_interval(secs => ?5)
                  and coalesce(a.finished_at, coalesce(a.sent_at, a.started_at) + make_interval(secs => ?6))
                      >= to_timestamp(?4) - make_interval(secs => ?7)
                  and (a.outcome is null or a.outcome in ('DELIVERED', 'SERVER_ERROR', 'UNKNOWN', 'LOST'))
                  and coalesce(a.settlement, '') not in ('ABSENT', 'NOT_SENT')
                  and not exists (select 1 from star_gifts g where g.attempt_id = a.id)
                order by coalesce(a.sent_at, a.started_at), a.id limit 1))
            on conflict (transaction_id) do nothing""";

    private static final String PROVEN = "select count(*) from star_gifts where attempt_id = ?1";

    /** A read of the list under the lease: {@code complete} when it reached the end at {@code readAt}; {@code failed} when Telegram could not answer. */
    public record Sync(String lease, boolean complete, boolean failed, Instant readAt) {}

    private final BotApi botApi;
    private final int maxPages;
    private final Duration leaseFor;
    private final Duration callTimeout;
    private final Duration visibleAfter;

    public StarGifts(BotApi botApi, ReconcileConfig config, TelegramConfig telegram) {
        this.botApi = botApi;
        this.maxPages = config.starTransactionPages();
        this.leaseFor = config.starLease();
        this.callTimeout = Duration.ofMillis(telegram.timeoutMillis());
        this.visibleAfter = config.giftVisibleAfter();
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
                        .flatMap(session -> session.createNativeQuery(TAKE_LEASE, Long.class)
                                .setParameter(1, lease)
                                .setParameter(2, (double) leaseFor.toSeconds())
                                .getResultList()))
                .flatMap(offsets ->
                        offsets.isEmpty() ? Uni.createFrom().nullItem() : pages(lease, offsets.get(0), 0, home));
    }

    /** Gives the lease back; call after deciding, on every path. */
    public Uni<Void> release(Sync sync) {
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(RELEASE)
                                .setParameter(1, sync.lease())
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /** Whether a gift read from Telegram proves this attempt. */
    public Uni<Boolean> proves(long attemptId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(PROVEN, Long.class)
                        .setParameter(1, attemptId)
                        .getSingleResult())
                .map(count -> count > 0);
    }

    private Uni<Sync> pages(String lease, long offset, int pagesRead, Executor home) {
        return botApi.getStarTransactions((int) Math.min(offset, Integer.MAX_VALUE), PAGE)
                // the limiter may have waited on another thread: the page is stored from the caller's context
                .emitOn(home)
                .onFailure(TelegramException.class)
                .recoverWithItem(failure -> {
                    LOG.warnf("event=star_transactions_unreadable offset=%d error=%s", offset, failure.getMessage());
                    return null;
                })
                .flatMap(page -> {
                    if (page == null) {
                        return Uni.createFrom().item(new Sync(lease, false, true, Instant.now()));
                    }
                    Instant readAt = Instant.now();
                    return store(lease, offset, page).flatMap(advanced -> {
                        if (!advanced) {
                            LOG.warnf("event=star_transactions_lease_lost offset=%d", offset);
                            return Uni.createFrom().item(new Sync(lease, false, false, readAt));
                        }
                        if (page.size() < PAGE) {
                            return Uni.createFrom().item(new Sync(lease, true, false, readAt));
                        }
                        if (pagesRead + 1 >= maxPages) {
                            return Uni.createFrom().item(new Sync(lease, false, false, readAt));
                        }
                        return pages(lease, offset + page.size(), pagesRead + 1, home);
                    });
                });
    }

    /** The page's gifts and the cursor past them, in one transaction that holds the lease. */
    private Uni<Boolean> store(String lease, long offset, JsonArray page) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
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
                                .setParameter(5, (double) CLOCK_SLACK.toSeconds())
                                .setParameter(6, callTimeout.toMillis() / 1000.0)
                                .setParameter(7, CLOCK_SLACK.plus(visibleAfter).toMillis() / 1000.0)
                                .executeUpdate());
                    }
                    return chain.chain(() -> session.createNativeQuery(ADVANCE)
                                    .setParameter(1, lease)
                                    .setParameter(2, offset)
                                    .setParameter(3, offset + page.size())
                                    .setParameter(4, (double) leaseFor.toSeconds())
                                    .executeUpdate())
                            // another holder took over: roll back this page's gifts rather than write them twice
                            .invoke(count -> {
                                if (count != 1) {
                                    throw new LeaseLost();
                                }
                            });
                }))
                .replaceWith(true)
                .onFailure(LeaseLost.class)
                .recoverWithItem(false);
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
