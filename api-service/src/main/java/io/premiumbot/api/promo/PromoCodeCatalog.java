package io.premiumbot.api.promo;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import io.premiumbot.api.audit.AuditLog;
import io.premiumbot.api.audit.Operator;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.NotFoundException;
import io.premiumbot.model.money.Money;
import io.premiumbot.model.order.Months;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The operator's side of promo codes: create, list with what each has cost, disable. Each write audited in its own transaction. */
@ApplicationScoped
public class PromoCodeCatalog {

    /** What the operator asks for; exactly one of {@code percentOff} and {@code amountOff}. */
    public record NewPromoCode(
            String code,
            Integer percentOff,
            Money amountOff,
            List<Integer> months,
            Instant validFrom,
            Instant validUntil,
            Integer maxUses) {}

    /** A code with its live uses' total discount: what it has cost so far. */
    public record Listed(PromoCode code, Money discountGiven) {}

    private static final String CREATE = """
            insert into promo_codes (code, percent_off, amount_off_micros, months, valid_from, valid_until, max_uses, created_by)
            values (?1, ?2, ?3, cast(string_to_array(?4, ',') as integer[]), ?5, ?6, ?7, ?8)
            on conflict (code) do nothing
            returning id""";

    private static final String LISTED = "select " + PromoCodes.COLUMNS
            + ", coalesce(sum(u.discount_micros) filter (where u.released_at is null), 0)"
            + " from promo_codes c left join promo_uses u on u.code_id = c.id";

    private static final String DISABLE =
            "update promo_codes set disabled_at = now() where code = ?1 and disabled_at is null";

    private final AuditLog audit;

    public PromoCodeCatalog(AuditLog audit) {
        this.audit = audit;
    }

    @WithTransaction
    public Uni<Listed> create(NewPromoCode request, Operator operator) {
        String code = normalised(request.code());
        String months = months(request.months());
        if ((request.percentOff() == null) == (request.amountOff() == null)) {
            throw new IllegalArgumentException("give exactly one of percentOff (1-99) and amountOff (USDT)");
        }
        if (request.percentOff() != null && (request.percentOff() < 1 || request.percentOff() > 99)) {
            throw new IllegalArgumentException("percentOff: must be 1 to 99");
        }
        if (request.amountOff() != null && !request.amountOff().isPositive()) {
            throw new IllegalArgumentException("amountOff: must be positive");
        }
        if (request.maxUses() != null && request.maxUses() < 1) {
            throw new IllegalArgumentException("maxUses: must be at least 1 (leave it out for no cap)");
        }
        if (request.validFrom() != null
                && request.validUntil() != null
                && !request.validUntil().isAfter(request.validFrom())) {
            throw new IllegalArgumentException("validUntil: must be after validFrom");
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CREATE, Long.class)
                        .setParameter(1, code)
                        .setParameter(2, request.percentOff())
                        .setParameter(
                                3,
                                request.amountOff() == null
                                        ? null
                                        : request.amountOff().micros())
                        .setParameter(4, months)
                        .setParameter(5, request.validFrom())
                        .setParameter(6, request.validUntil())
                        .setParameter(7, request.maxUses())
                        .setParameter(8, operator.name())
                        .getSingleResultOrNull())
                .onItem()
                .ifNull()
                .failWith(() -> new ConflictException("promo code " + code + " exists already"))
                .call(id -> audit.record("promo.create", "promo:" + code, operator, describe(request, months)))
                .flatMap(id -> listed(code));
    }

    @WithSession
    public Uni<List<Listed>> all() {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                LISTED + " group by c.id order by c.created_at desc limit 500", Object[].class)
                        .getResultList())
                .map(rows -> rows.stream().map(PromoCodeCatalog::listed).toList());
    }

    @WithSession
    public Uni<Listed> find(String code) {
        return listed(normalised(code));
    }

    /** Stops the code for purchases from now on; uses already booked stay. Disabling twice is the same as once. */
    @WithTransaction
    public Uni<Listed> disable(String code, Operator operator) {
        String wanted = normalised(code);
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(DISABLE)
                        .setParameter(1, wanted)
                        .executeUpdate())
                .call(disabled -> disabled == 1
                        ? audit.record("promo.disable", "promo:" + wanted, operator, null)
                        : Uni.createFrom().voidItem())
                .flatMap(ignored -> listed(wanted));
    }

    private Uni<Listed> listed(String code) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                LISTED + " where c.code = ?1 group by c.id", Object[].class)
                        .setParameter(1, code)
                        .getSingleResultOrNull())
                .onItem()
                .ifNull()
                .failWith(() -> new NotFoundException("no promo code " + code))
                .map(PromoCodeCatalog::listed);
    }

    private static Listed listed(Object[] row) {
        return new Listed(PromoCodes.code(row), Money.ofMicros(((Number) row[12]).longValue()));
    }

    private static String normalised(String code) {
        String upper = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z0-9_-]{3,32}")) {
            throw new IllegalArgumentException("code: 3 to 32 letters, digits, '-' or '_'");
        }
        return upper;
    }

    private static String months(List<Integer> months) {
        if (months == null || months.isEmpty()) {
            throw new IllegalArgumentException("months: name the plans the code is for (3, 6, 12)");
        }
        TreeSet<Integer> plans = new TreeSet<>();
        for (Integer count : months) {
            if (count == null || Months.of(count).isEmpty()) {
                throw new IllegalArgumentException("months: must be 3, 6 or 12");
            }
            plans.add(count);
        }
        return String.join(",", plans.stream().map(String::valueOf).toList());
    }

    private static String describe(NewPromoCode request, String months) {
        return (request.percentOff() != null
                        ? "percentOff=" + request.percentOff()
                        : "amountOff=" + request.amountOff().plain())
                + " months=" + months
                + " validFrom=" + request.validFrom()
                + " validUntil=" + request.validUntil()
                + " maxUses=" + request.maxUses();
    }
}
