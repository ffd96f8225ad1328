package io.premiumbot.api.sales;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.premiumbot.model.money.Money;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A period's sales summed by PostgreSQL, per day in the console's time zone: orders by the day they were paid
 * ({@code orders_paid_at}), gifts by the day they were delivered ({@code orders_delivered_at}), referral rewards by the
 * day they were credited ({@code ledger_entries_referral_created}), confirmations by the day they were shown. Each
 * statement reads only its period's rows, however long the history; sums are integers (micros, Stars).
 */
@ApplicationScoped
public class SalesQueries {

    private static final String PAID = """
            select (paid_at at time zone $3)::date as day, months, pay_method = 'STARS' as stars, count(*) as orders,
                   sum(case when pay_method = 'STARS' then coalesce(star_price, star_count - discount_stars) else price_micros end)::bigint
                       as revenue,
                   sum(case when pay_method = 'STARS' then discount_stars else discount_micros end)::bigint as discount
            from orders
            where paid_at >= $1 and paid_at < $2 and status <> 'REFUNDED'
            group by 1, 2, 3""";

    private static final String DELIVERED = """
            select (delivered_at at time zone $3)::date as day, months, pay_method = 'STARS' as stars,
                   count(*) as orders, sum(star_count)::bigint as gift_stars,
                   sum(case when pay_method = 'STARS' then coalesce(star_price, star_count - discount_stars) else price_micros end)::bigint
                       as revenue
            from orders
            where delivered_at >= $1 and delivered_at < $2 and status = 'DELIVERED'
            group by 1, 2, 3""";

    private static final String REFERRALS = """
            select (created_at at time zone $3)::date as day, sum(amount_micros)::bigint as micros
            from ledger_entries
            where reason = 'REFERRAL' and created_at >= $1 and created_at < $2
            group by 1""";

    // an order made from a confirmation is made after it: the join reads only the period's orders
    private static final String FUNNEL = """
            select count(*) as shown, count(o.paid_at) as paid, count(*) filter (where o.status = 'DELIVERED') as delivered
            from purchase_confirmations c
            left join orders o on o.confirmation_id = c.id and o.created_at >= $1
            where c.created_at >= $1 and c.created_at < $2""";

    private final Pool pool;
    private final GlanceConfig config;

    public SalesQueries(Pool pool, GlanceConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** The {@code days} days up to today in the console's time zone. */
    public Uni<Sales> lastDays(int days) {
        return of(Period.endingToday(days, config.timeZone()));
    }

    public Uni<Sales> of(Period period) {
        Tuple range =
                Tuple.of(at(period.from()), at(period.until()), period.zone().getId());
        Tuple bounds = Tuple.of(at(period.from()), at(period.until()));
        Money starPrice = config.starPrice();
        return Uni.combine()
                .all()
                .unis(
                        rows(PAID, range, SalesQueries::paid),
                        rows(DELIVERED, range, SalesQueries::delivered),
                        rows(REFERRALS, range, row -> row),
                        rows(FUNNEL, bounds, SalesQueries::funnel))
                .with((paid, delivered, referrals, funnel) -> {
                    Map<LocalDate, Money> byDay = new TreeMap<>();
                    for (Row row : referrals) {
                        byDay.put(row.getLocalDate("day"), Money.ofMicros(row.getLong("micros")));
                    }
                    return new Sales(period, starPrice, paid, delivered, byDay, funnel.get(0));
                });
    }

    private <T> Uni<List<T>> rows(String sql, Tuple arguments, Function<Row, T> read) {
        return pool.preparedQuery(sql).execute(arguments).map(rows -> {
            List<T> list = new ArrayList<>();
            rows.forEach(row -> list.add(read.apply(row)));
            return list;
        });
    }

    private static Sales.Paid paid(Row row) {
        return new Sales.Paid(
                row.getLocalDate("day"),
                row.getInteger("months"),
                currency(row),
                row.getLong("orders"),
                row.getLong("revenue"),
                row.getLong("discount"));
    }

    private static Sales.Delivered delivered(Row row) {
        return new Sales.Delivered(
                row.getLocalDate("day"),
                row.getInteger("months"),
                currency(row),
                row.getLong("orders"),
                row.getLong("gift_stars"),
                row.getLong("revenue"));
    }

    private static Sales.Funnel funnel(Row row) {
        return new Sales.Funnel(row.getLong("shown"), row.getLong("paid"), row.getLong("delivered"));
    }

    private static Sales.Currency currency(Row row) {
        return Boolean.TRUE.equals(row.getBoolean("stars")) ? Sales.Currency.STARS : Sales.Currency.USDT;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
