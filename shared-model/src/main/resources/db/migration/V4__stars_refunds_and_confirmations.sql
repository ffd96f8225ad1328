-- The Stars charge that paid an order: a refund of that order goes back to this charge, in Stars.
alter table orders add column star_charge_id varchar(128);
create unique index orders_star_charge_unique on orders (star_charge_id) where star_charge_id is not null;

-- One confirmation buys once: the confirmation shown to the buyer, with the price it showed. Paying it is a
-- conditional update of used_at; the order it made carries its id, unique.
create table purchase_confirmations (
    id                  bigserial    primary key,
    buyer_id            bigint       not null references users (telegram_id),
    recipient_id        bigint       not null,
    recipient_username  varchar(64),
    months              integer      not null constraint purchase_confirmations_months_valid check (months in (3, 6, 12)),
    price_micros        bigint       not null constraint purchase_confirmations_price_positive check (price_micros > 0),
    created_at          timestamptz  not null default now(),
    expires_at          timestamptz  not null,
    used_at             timestamptz
);
create index purchase_confirmations_created on purchase_confirmations (created_at);
alter table orders add column confirmation_id bigint references purchase_confirmations (id);
create unique index orders_confirmation_unique on orders (confirmation_id) where confirmation_id is not null;

-- A Stars refund is the worker's recorded, retried, verified action: PENDING until Telegram answered true (or
-- CHARGE_ALREADY_REFUNDED), then REFUNDED; REFUSED when Telegram definitely refused it (the operator sees why).
create table star_refunds (
    id               bigserial    primary key,
    charge_id        varchar(128) not null constraint star_refunds_charge_unique unique,
    user_id          bigint       not null,
    order_id         varchar(12)  references orders (id),
    stars            integer      not null constraint star_refunds_stars_positive check (stars > 0),
    reason           varchar(16)  not null constraint star_refunds_reason_valid check (reason in ('UNDELIVERABLE', 'NOT_PAYABLE')),
    status           varchar(16)  not null default 'PENDING'
                         constraint star_refunds_status_valid check (status in ('PENDING', 'REFUNDED', 'REFUSED')),
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null default now(),
    outcome          varchar(32),
    last_error       varchar(512),
    created_at       timestamptz  not null default now(),
    updated_at       timestamptz  not null default now(),
    refunded_at      timestamptz
);
create index star_refunds_due on star_refunds (next_attempt_at) where status = 'PENDING';
create index star_refunds_order on star_refunds (order_id) where order_id is not null;
