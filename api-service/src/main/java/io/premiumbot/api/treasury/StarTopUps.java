package io.premiumbot.api.treasury;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.operators.Account;
import io.premiumbot.api.payments.BotStars.TelegramUnavailableException;
import io.premiumbot.api.payments.StarsPayments;
import io.premiumbot.api.payments.StarsPayments.Refusal;
import io.premiumbot.api.support.UnprocessableException;
import io.premiumbot.api.telegram.BotApiClient;
import io.premiumbot.model.i18n.Texts;
import io.premiumbot.model.telegram.TelegramRateLimiter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * An operator refills the bot's Stars without leaving Telegram: a top-up is an invoice in Stars (XTR) sent to the
 * operator's own Telegram account, its payload {@code topup:<id>}. Only that account may pay it, exactly its Stars,
 * once, before it lapses ({@code pre_checkout_query} refuses anything else); the {@code successful_payment} marks it
 * PAID by a conditional update keyed on its charge id — never an order, never a wallet credit. A payment the top-up
 * can't take (someone else's, a second one) is recorded and refunded in Stars like any payment for no order.
 */
@ApplicationScoped
public class StarTopUps {

    private static final Logger LOG = Logger.getLogger(StarTopUps.class);
    static final String PAYLOAD_PREFIX = "topup:";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final String COLUMNS = """
            id, operator, telegram_id, stars, status, charge_id, cast(extract(epoch from created_at) * 1000 as bigint),
            cast(extract(epoch from expires_at) * 1000 as bigint), cast(extract(epoch from paid_at) * 1000 as bigint)""";

    private static final String CREATE = "insert into star_top_ups (operator, telegram_id, stars, expires_at)"
            + " values (?1, ?2, ?3, now() + make_interval(secs => ?4)) returning " + COLUMNS;

    private static final String BY_ID = "select " + COLUMNS + ", expires_at > now() from star_top_ups where id = ?1";

    private static final String PAY = """
            update star_top_ups set status = 'PAID', charge_id = ?2, paid_at = now()
            where id = ?1 and status = 'INVOICED' and telegram_id = ?3 and stars = ?4""";

    private static final String CHARGE_KNOWN = "select count(*) from star_top_ups where charge_id = ?1";

    private static final String RECENT = "select " + COLUMNS + " from star_top_ups order by id desc limit ?1";

    /** What a top-up's successful payment led to. */
    public enum Recorded {
        TOPPED_UP,
        ALREADY_RECORDED,
        /** Not this top-up's to take (another payer, paid already, another amount): refunded in Stars. */
        REFUNDING
    }

    public record Result(Recorded recorded, long stars) {}

    private final BotApiClient telegram;
    private final TelegramRateLimiter budget;
    private final AuditLog audit;
    private final StarsPayments payments;
    private final TopUpConfig config;
    private final Event<StarsToppedUp> toppedUp;

    public StarTopUps(
            BotApiClient telegram,
            TelegramRateLimiter budget,
            AuditLog audit,
            StarsPayments payments,
            TopUpConfig config,
            Event<StarsToppedUp> toppedUp) {
        this.telegram = telegram;
        this.budget = budget;
        this.audit = audit;
        this.payments = payments;
        this.config = config;
        this.toppedUp = toppedUp;
    }

    public static boolean isTopUp(String payload) {
        return payload != null && payload.startsWith(PAYLOAD_PREFIX);
    }

    /**
     * Records a top-up of {@code stars} for {@code account} (audited) and sends the invoice to their own Telegram
     * account. 400 outside the configured bounds, 422 for an operator without a Telegram id, 503 when Telegram can't
     * be asked (the recorded top-up then simply lapses unpaid).
     */
    @WithSpan("StarTopUps.invoice")
    public Uni<StarTopUp> invoice(Account account, Operator by, long stars) {
        if (stars < config.minStars() || stars > config.maxStars()) {
            return Uni.createFrom()
                    .failure(new IllegalArgumentException(
                            "stars must be between " + config.minStars() + " and " + config.maxStars()));
        }
        if (account.telegramId() == null) {
            return Uni.createFrom()
                    .failure(new UnprocessableException("operator " + account.name()
                            + " has no Telegram account configured (OPERATORS entry name:role:sha256hex:telegramId):"
                            + " a top-up invoice goes to the operator's own account"));
        }
        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(CREATE, Object[].class)
                                .setParameter(1, account.name())
                                .setParameter(2, account.telegramId())
                                .setParameter(3, (int) stars)
                                .setParameter(4, (double) config.validFor().toSeconds())
                                .getSingleResult())
                        .map(StarTopUp::of)
                        .call(topUp -> audit.record(
                                "stars.top_up_invoiced",
                                "top-up:" + topUp.id(),
                                by,
                                "stars=" + stars + " telegramId=" + topUp.telegramId())))
                .call(this::send)
                .invoke(topUp -> LOG.infof(
                        "event=star_top_up_invoiced topUpId=%d operator=%s stars=%d",
                        topUp.id(), account.name(), stars));
    }

    private Uni<Void> send(StarTopUp topUp) {
        // the bot's words, in English: the operator's language is not known here
        Texts texts = Texts.of("bot.texts", null);
        JsonObject invoice = new JsonObject()
                .put("chat_id", topUp.telegramId())
                .put("title", texts.get("topup.stars.title"))
                .put("description", texts.get("topup.stars.description", String.valueOf(topUp.stars())))
                .put("payload", PAYLOAD_PREFIX + topUp.id())
                .put("currency", "XTR")
                .put(
                        "prices",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("label", texts.get("topup.stars.label"))
                                        .put("amount", topUp.stars())));
        return budget.acquire(TelegramRateLimiter.Priority.SPARE, TelegramRateLimiter.CallKind.SEND)
                .chain(() -> telegram.call("sendInvoice", invoice, TIMEOUT))
                .onFailure()
                .transform(failure -> new TelegramUnavailableException(
                        "sendInvoice could not be asked: " + failure.getClass().getSimpleName()))
                .map(answer -> {
                    if (!answer.ok()) {
                        // e.g. 403: the operator never started the bot, so it can't write to them
                        throw new TelegramUnavailableException("sendInvoice answered " + answer.status()
                                + (answer.description().isEmpty() ? "" : ": " + answer.description())
                                + " (the operator's Telegram account must have started the bot)");
                    }
                    return answer;
                })
                .replaceWithVoid();
    }

    /** Within the caller's session: why {@code userId} may not pay this top-up invoice now, if they may not. */
    public Uni<Optional<Refusal>> checkout(long userId, String currency, long stars, String payload) {
        Long id = id(payload);
        if (id == null) {
            return Uni.createFrom().item(Optional.of(Refusal.UNKNOWN_ORDER));
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(BY_ID, Object[].class)
                        .setParameter(1, id)
                        .getSingleResultOrNull())
                .map(row -> {
                    if (row == null) {
                        return Optional.of(Refusal.UNKNOWN_ORDER);
                    }
                    StarTopUp topUp = StarTopUp.of(row);
                    if (topUp.telegramId() != userId) {
                        return Optional.of(Refusal.NOT_YOURS);
                    }
                    if (!"INVOICED".equals(topUp.status()) || !Boolean.TRUE.equals(row[9])) {
                        return Optional.of(Refusal.NO_LONGER_PAYABLE);
                    }
                    if (!"XTR".equals(currency) || stars != topUp.stars()) {
                        return Optional.of(Refusal.WRONG_AMOUNT);
                    }
                    return Optional.empty();
                });
    }

    /**
     * Within the caller's transaction (the update's): the top-up is PAID by this charge, or the charge was recorded
     * already (a replay), or it can't be this top-up's and is refunded in Stars through {@link StarsPayments}.
     */
    @WithSpan("StarTopUps.record")
    public Uni<Result> record(long userId, String chargeId, long stars, String payload) {
        Long id = id(payload);
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CHARGE_KNOWN, Long.class)
                        .setParameter(1, chargeId)
                        .getSingleResult()
                        .flatMap(known -> {
                            if (known > 0) {
                                return Uni.createFrom().item(new Result(Recorded.ALREADY_RECORDED, stars));
                            }
                            Uni<Integer> paid = id == null
                                    ? Uni.createFrom().item(0)
                                    : session.createNativeQuery(PAY)
                                            .setParameter(1, id)
                                            .setParameter(2, chargeId)
                                            .setParameter(3, userId)
                                            .setParameter(4, stars)
                                            .executeUpdate();
                            return paid.flatMap(updated -> {
                                if (updated == 1) {
                                    LOG.infof("event=star_top_up_paid topUpId=%d stars=%d", id, stars);
                                    toppedUp.fire(new StarsToppedUp(id, stars));
                                    return Uni.createFrom().item(new Result(Recorded.TOPPED_UP, stars));
                                }
                                LOG.warnf(
                                        "event=star_top_up_not_payable topUpId=%s userId=%d stars=%d",
                                        id, userId, stars);
                                return payments.record(userId, chargeId, stars, payload)
                                        .map(result -> new Result(
                                                result.recorded() == StarsPayments.Recorded.ALREADY_RECORDED
                                                        ? Recorded.ALREADY_RECORDED
                                                        : Recorded.REFUNDING,
                                                stars));
                            });
                        }));
    }

    /** The latest top-ups, newest first. */
    public Uni<List<StarTopUp>> recent(int limit) {
        return Panache.withSession(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(RECENT, Object[].class)
                        .setParameter(1, limit)
                        .getResultList())
                .map(rows -> rows.stream().map(StarTopUp::of).toList()));
    }

    private static Long id(String payload) {
        if (!isTopUp(payload)) {
            return null;
        }
        try {
            return Long.parseLong(payload.substring(PAYLOAD_PREFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
