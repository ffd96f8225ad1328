package io.premiumbot.api.promo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.jboss.logging.Logger;

import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Promo codes on the customer's side, in the update's transaction: {@code /promo CODE} remembers a code for the
 * customer's next purchase, a quote applies it, and the purchase books its use. The booking is what holds the rules:
 * one live use per customer and code (a partial unique index) and a conditional increment of the code's uses below
 * its cap (concurrent purchases queue on the code's row; a CHECK stands behind it), so exactly the cap succeed, and a
 * purchase that rolls back has booked nothing.
 */
@ApplicationScoped
public class PromoCodes {

    private static final Logger LOG = Logger.getLogger(PromoCodes.class);

    /** Times as epoch microseconds: one exact type whichever driver reads them. */
    static final String COLUMNS = """
            c.id, c.code, c.percent_off, c.amount_off_micros, array_to_string(c.months, ','),
            cast(extract(epoch from c.valid_from) * 1000000 as bigint),
            cast(extract(epoch from c.valid_until) * 1000000 as bigint), c.max_uses, c.uses,
            cast(extract(epoch from c.disabled_at) * 1000000 as bigint), c.created_by,
            cast(extract(epoch from c.created_at) * 1000000 as bigint)""";

    private static final String BY_CODE = "select " + COLUMNS + ", exists (select 1 from promo_uses u"
            + " where u.code_id = c.id and u.customer_id = ?2 and u.released_at is null)"
            + " from promo_codes c where c.code = ?1";

    private static final String APPLIED = "select " + COLUMNS + ", exists (select 1 from promo_uses u"
            + " where u.code_id = c.id and u.customer_id = ?1 and u.released_at is null)"
            + " from promo_applied a join promo_codes c on c.id = a.code_id where a.customer_id = ?1";

    private static final String REMEMBER = """
            insert into promo_applied (customer_id, code_id, applied_at) values (?1, ?2, now())
            on conflict (customer_id) do update set code_id = excluded.code_id, applied_at = excluded.applied_at""";

    private static final String BOOK_USE = """
            insert into promo_uses (code_id, customer_id, order_id, discount_micros) values (?1, ?2, ?3, ?4)
            on conflict (code_id, customer_id) where released_at is null do nothing""";

    private static final String COUNT_USE = """
            update promo_codes set uses = uses + 1
            where id = ?1 and disabled_at is null
              and (valid_from is null or valid_from <= now()) and (valid_until is null or valid_until > now())
              and (max_uses is null or uses < max_uses)""";

    private static final String FORGET = "delete from promo_applied where customer_id = ?1";

    /** What {@code /promo CODE} found. */
    public enum Verdict {
        APPLIED,
        UNKNOWN,
        NOT_YET,
        ENDED,
        USED_UP,
        ALREADY_USED
    }

    /** {@code code} is null when no such code exists. */
    public record Application(Verdict verdict, PromoCode code) {}

    /** Remembers the code for the customer's next purchase when they may use it; else says why not. */
    public Uni<Application> apply(long customerId, String text) {
        String wanted = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        if (!wanted.matches("[A-Z0-9_-]{3,32}")) {
            return Uni.createFrom().item(new Application(Verdict.UNKNOWN, null));
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(BY_CODE, Object[].class)
                        .setParameter(1, wanted)
                        .setParameter(2, customerId)
                        .getSingleResultOrNull()
                        .flatMap(row -> {
                            if (row == null) {
                                return Uni.createFrom().item(new Application(Verdict.UNKNOWN, null));
                            }
                            PromoCode code = code(row);
                            Verdict verdict = verdict(code, Boolean.TRUE.equals(row[12]));
                            if (verdict != Verdict.APPLIED) {
                                return Uni.createFrom().item(new Application(verdict, code));
                            }
                            return session.createNativeQuery(REMEMBER)
                                    .setParameter(1, customerId)
                                    .setParameter(2, code.id())
                                    .executeUpdate()
                                    .replaceWith(new Application(Verdict.APPLIED, code));
                        }));
    }

    /** The customer's remembered code, when they may still use it now. Null when none. */
    public Uni<PromoCode> remembered(long customerId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(APPLIED, Object[].class)
                        .setParameter(1, customerId)
                        .getSingleResultOrNull())
                .map(row -> {
                    if (row == null) {
                        return null;
                    }
                    PromoCode code = code(row);
                    return verdict(code, Boolean.TRUE.equals(row[12])) == Verdict.APPLIED ? code : null;
                });
    }

    /**
     * The price of {@code months} for this customer: with their remembered code where it applies, else the list prices
     * (USDT and Stars).
     */
    public Uni<Quote> quote(long customerId, Months months, Money listPrice, int starListPrice) {
        Quote list = Quote.list(months, listPrice, starListPrice);
        return remembered(customerId)
                .map(code -> code == null
                        ? list
                        : code.apply(months, listPrice, starListPrice).orElse(list));
    }

    /**
     * Books the code's use by this order, in the purchase's transaction; fails with
     * {@link PromoCodeUnavailableException} (rolling the purchase back) when the customer already holds a live use or
     * the code can't take one more now. Nothing to do for a quote without a code.
     */
    public Uni<Void> redeem(Quote quote, long customerId, String orderId) {
        if (!quote.discounted()) {
            return Uni.createFrom().voidItem();
        }
        String code = quote.promoCode() == null ? "#" + quote.promoCodeId() : quote.promoCode();
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(BOOK_USE)
                        .setParameter(1, quote.promoCodeId())
                        .setParameter(2, customerId)
                        .setParameter(3, orderId)
                        .setParameter(4, quote.discount().micros())
                        .executeUpdate()
                        .flatMap(booked -> booked == 1
                                ? session.createNativeQuery(COUNT_USE)
                                        .setParameter(1, quote.promoCodeId())
                                        .executeUpdate()
                                : Uni.createFrom().item(0))
                        .flatMap(counted -> {
                            if (counted != 1) {
                                LOG.infof("event=promo_code_refused code=%s orderId=%s", code, orderId);
                                return Uni.createFrom().failure(new PromoCodeUnavailableException(code));
                            }
                            LOG.infof(
                                    "event=promo_code_used code=%s orderId=%s discount=%s",
                                    code, orderId, quote.discount().plain());
                            return session.createNativeQuery(FORGET)
                                    .setParameter(1, customerId)
                                    .executeUpdate()
                                    .replaceWithVoid();
                        }));
    }

    private static Verdict verdict(PromoCode code, boolean usedByCustomer) {
        return switch (code.status(Instant.now())) {
            case DISABLED, ENDED -> Verdict.ENDED;
            case SCHEDULED -> Verdict.NOT_YET;
            case USED_UP -> Verdict.USED_UP;
            case ACTIVE -> usedByCustomer ? Verdict.ALREADY_USED : Verdict.APPLIED;
        };
    }

    /** A row of {@link #COLUMNS}. */
    static PromoCode code(Object[] row) {
        return new PromoCode(
                ((Number) row[0]).longValue(),
                (String) row[1],
                row[2] == null ? null : ((Number) row[2]).intValue(),
                row[3] == null ? null : Money.ofMicros(((Number) row[3]).longValue()),
                PromoCode.months((String) row[4]),
                instant(row[5]),
                instant(row[6]),
                row[7] == null ? null : ((Number) row[7]).intValue(),
                ((Number) row[8]).intValue(),
                instant(row[9]),
                (String) row[10],
                instant(row[11]));
    }

    private static Instant instant(Object epochMicros) {
        return epochMicros == null ? null : Instant.EPOCH.plus(((Number) epochMicros).longValue(), ChronoUnit.MICROS);
    }
}
