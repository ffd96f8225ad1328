-- Sales at a glance (the console's sales page and home summary): orders by the day they were paid and by the day they
-- were delivered, and referral rewards by day, over a chosen period. Without these, each chart read the whole orders
-- table (and the whole ledger) however short the period. Partial: an unpaid order is in neither.
create index orders_paid_at on orders (paid_at) where paid_at is not null;
create index orders_delivered_at on orders (delivered_at) where delivered_at is not null;
create index ledger_entries_referral_created on ledger_entries (created_at) where reason = 'REFERRAL';

-- Sales as running totals for the metrics (Grafana's sales panels), kept by a trigger in the transaction that moves
-- the order, like order_status_counts (V7): striped by backend pid, readers sum the stripes. A paid order adds its
-- amount (USDT micros, or Stars for a Stars order: currency XTR) and discount; a refund takes them back out (refunded
-- orders are not sales, as on the console); a delivery adds the gift's Stars.
create table sales_totals (
    months            integer     not null,
    currency          varchar(8)  not null constraint sales_totals_currency_valid check (currency in ('USDT', 'XTR')),
    stripe            smallint    not null,
    paid_orders       bigint      not null default 0,
    paid_amount       bigint      not null default 0,
    discounts         bigint      not null default 0,
    delivered_orders  bigint      not null default 0,
    gift_stars        bigint      not null default 0,
    primary key (months, currency, stripe)
);

create function sales_totals_move() returns trigger language plpgsql as $$
declare
    sign integer := 0;
    delivered integer := 0;
begin
    if old.paid_at is null and new.paid_at is not null and new.status <> 'REFUNDED' then
        sign := 1;
    elsif new.status = 'REFUNDED' and new.paid_at is not null then
        sign := -1;
    end if;
    if new.status = 'DELIVERED' then
        delivered := 1;
    end if;
    if sign = 0 and delivered = 0 then
        return null;
    end if;
    insert into sales_totals as t (months, currency, stripe, paid_orders, paid_amount, discounts, delivered_orders,
                                   gift_stars)
    values (new.months,
            case when new.pay_method = 'STARS' then 'XTR' else 'USDT' end,
            pg_backend_pid() % 16,
            sign,
            sign * case when new.pay_method = 'STARS' then coalesce(new.star_price, new.star_count - new.discount_stars) else new.price_micros end,
            sign * case when new.pay_method = 'STARS' then new.discount_stars else new.discount_micros end,
            delivered,
            delivered * new.star_count)
    on conflict (months, currency, stripe) do update
        set paid_orders = t.paid_orders + excluded.paid_orders,
            paid_amount = t.paid_amount + excluded.paid_amount,
            discounts = t.discounts + excluded.discounts,
            delivered_orders = t.delivered_orders + excluded.delivered_orders,
            gift_stars = t.gift_stars + excluded.gift_stars;
    return null;
end $$;

create trigger orders_sales_totals after update of status on orders
    for each row when (old.status is distinct from new.status) execute function sales_totals_move();

insert into sales_totals (months, currency, stripe, paid_orders, paid_amount, discounts, delivered_orders, gift_stars)
select months, case when pay_method = 'STARS' then 'XTR' else 'USDT' end, 0,
       count(*) filter (where status <> 'REFUNDED'),
       coalesce(sum(case when pay_method = 'STARS' then coalesce(star_price, star_count - discount_stars) else price_micros end)
                    filter (where status <> 'REFUNDED'), 0),
       coalesce(sum(case when pay_method = 'STARS' then discount_stars else discount_micros end)
                    filter (where status <> 'REFUNDED'), 0),
       count(*) filter (where status = 'DELIVERED'),
       coalesce(sum(star_count) filter (where status = 'DELIVERED'), 0)
from orders where paid_at is not null
group by 1, 2;

-- the confirmations shown, the funnel's first step, counted the same way
create table confirmation_totals (
    stripe  smallint primary key,
    shown   bigint   not null default 0
);

create function confirmation_totals_add() returns trigger language plpgsql as $$
begin
    insert into confirmation_totals as t (stripe, shown) values (pg_backend_pid() % 16, 1)
    on conflict (stripe) do update set shown = t.shown + 1;
    return null;
end $$;

create trigger purchase_confirmations_totals after insert on purchase_confirmations
    for each row execute function confirmation_totals_add();

insert into confirmation_totals (stripe, shown) select 0, count(*) from purchase_confirmations;
