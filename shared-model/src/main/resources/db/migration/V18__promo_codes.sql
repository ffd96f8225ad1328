-- Promo codes: a percentage or a fixed USDT amount off, for chosen plans, valid from/until, with a total cap and one
-- use per customer. PostgreSQL holds the cap: a use is booked in the purchase's own transaction by a conditional
-- increment (uses < max_uses) that concurrent purchases serialise on, with a CHECK behind it, and a partial unique
-- index allows one live use per customer and code. A purchase that rolls back books nothing.
create table promo_codes (
    id                 bigserial    primary key,
    code               varchar(32)  not null constraint promo_codes_code_format check (code ~ '^[A-Z0-9_-]{3,32}$'),
    percent_off        integer      constraint promo_codes_percent_valid check (percent_off between 1 and 99),
    amount_off_micros  bigint       constraint promo_codes_amount_positive check (amount_off_micros > 0),
    months             integer[]    not null
                           constraint promo_codes_months_valid check (cardinality(months) > 0 and months <@ array[3, 6, 12]),
    valid_from         timestamptz,
    valid_until        timestamptz,
    max_uses           integer      constraint promo_codes_max_uses_positive check (max_uses > 0),
    uses               integer      not null default 0,
    disabled_at        timestamptz,
    created_by         varchar(128) not null,
    created_at         timestamptz  not null default now(),
    constraint promo_codes_one_kind check ((percent_off is null) <> (amount_off_micros is null)),
    constraint promo_codes_uses_within_cap check (uses >= 0 and (max_uses is null or uses <= max_uses)),
    constraint promo_codes_window check (valid_from is null or valid_until is null or valid_until > valid_from),
    constraint promo_codes_code_unique unique (code)
);

-- the code a customer applied with /promo, used by their next confirmation or purchase (and forgotten by it)
create table promo_applied (
    customer_id  bigint       primary key references users (telegram_id),
    code_id      bigint       not null references promo_codes (id),
    applied_at   timestamptz  not null default now()
);

-- what an order and a confirmation were discounted by: list price = price + discount; an order's star_count stays what
-- the gift costs the bot (Telegram's price, sent with giftPremiumSubscription), the customer's Stars price is
-- star_count - discount_stars
alter table orders add column promo_code_id bigint references promo_codes (id);
alter table orders add column discount_micros bigint not null default 0
    constraint orders_discount_not_negative check (discount_micros >= 0);
alter table orders add column discount_stars integer not null default 0
    constraint orders_discount_stars_not_negative check (discount_stars >= 0);
alter table orders add constraint orders_discount_has_code
    check (promo_code_id is not null or (discount_micros = 0 and discount_stars = 0));

alter table purchase_confirmations add column promo_code_id bigint references promo_codes (id);
alter table purchase_confirmations add column discount_micros bigint not null default 0
    constraint purchase_confirmations_discount_not_negative check (discount_micros >= 0);
-- the Stars price shown (null: Telegram's list price for the months)
alter table purchase_confirmations add column star_count integer
    constraint purchase_confirmations_stars_positive check (star_count > 0);

-- one row per order that used a code; released (the use given back) when the order is refunded or expires unpaid
create table promo_uses (
    id               bigserial    primary key,
    code_id          bigint       not null references promo_codes (id),
    customer_id      bigint       not null references users (telegram_id),
    order_id         varchar(12)  not null references orders (id) constraint promo_uses_order_unique unique,
    discount_micros  bigint       not null constraint promo_uses_discount_positive check (discount_micros > 0),
    used_at          timestamptz  not null default now(),
    released_at      timestamptz
);
create unique index promo_uses_once_per_customer on promo_uses (code_id, customer_id) where released_at is null;
create index promo_uses_code on promo_uses (code_id, used_at desc);

-- The use follows its order, whoever moves it (the worker's refunds and expiry, the operator): REFUNDED or EXPIRED gives
-- it back; an expired order revived by a payment made in time takes it again while the code has room and the customer
-- holds no other live use of it (otherwise the order is still honoured at the price it was made with).
create function promo_uses_follow_order() returns trigger language plpgsql as $$
declare
    used promo_uses%rowtype;
begin
    if new.status in ('REFUNDED', 'EXPIRED') then
        update promo_uses set released_at = now() where order_id = new.id and released_at is null returning * into used;
        if found then
            update promo_codes set uses = uses - 1 where id = used.code_id;
        end if;
    elsif old.status = 'EXPIRED' and new.status = 'PAID' then
        select * into used from promo_uses where order_id = new.id and released_at is not null;
        if found and not exists (select 1 from promo_uses
                                 where code_id = used.code_id and customer_id = used.customer_id and released_at is null) then
            update promo_codes set uses = uses + 1 where id = used.code_id and (max_uses is null or uses < max_uses);
            if found then
                update promo_uses set released_at = null where id = used.id;
            end if;
        end if;
    end if;
    return null;
end $$;

create trigger orders_promo_uses after update of status on orders
    for each row when (new.promo_code_id is not null and old.status is distinct from new.status)
    execute function promo_uses_follow_order();
