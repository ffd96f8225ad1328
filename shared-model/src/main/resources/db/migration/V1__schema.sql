-- Money is integer micro-USDT (6 decimals, as TRC20 USDT): never floating point.

create table users (
    telegram_id     bigint       primary key,
    username        varchar(64),
    first_name      varchar(256),
    language_code   varchar(16),
    balance_micros  bigint       not null default 0 constraint users_balance_not_negative check (balance_micros >= 0),
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
-- usernames move between accounts; lookups take the most recently seen holder
create index users_username_lower on users (lower(username), updated_at desc) where username is not null;

create table ledger_entries (
    id                    bigserial    primary key,
    user_id               bigint       not null references users (telegram_id),
    amount_micros         bigint       not null constraint ledger_amount_not_zero check (amount_micros <> 0),
    balance_after_micros  bigint       not null constraint ledger_balance_after_not_negative check (balance_after_micros >= 0),
    reason                varchar(32)  not null,
    reference             varchar(128),
    idempotency_key       varchar(160) not null constraint ledger_idempotency_key_unique unique,
    created_at            timestamptz  not null default now()
);
create index ledger_entries_user on ledger_entries (user_id, id);

create table prices (
    months        integer     primary key constraint prices_months_valid check (months in (3, 6, 12)),
    price_micros  bigint      not null constraint prices_positive check (price_micros > 0),
    updated_at    timestamptz not null default now()
);
insert into prices (months, price_micros) values (3, 13990000), (6, 18990000), (12, 31990000);

create table orders (
    id                  varchar(12)  primary key,
    buyer_id            bigint       not null references users (telegram_id),
    recipient_id        bigint       not null,
    recipient_username  varchar(64),
    months              integer      not null constraint orders_months_valid check (months in (3, 6, 12)),
    star_count          integer      not null,
    price_micros        bigint       not null constraint orders_price_positive check (price_micros > 0),
    pay_amount_micros   bigint,
    pay_method          varchar(16),
    status              varchar(20)  not null constraint orders_status_valid check (status in
                            ('PENDING_PAYMENT', 'PAID', 'DELIVERING', 'DELIVERED', 'EXPIRED',
                             'FAILED', 'REFUNDED', 'DELIVERY_UNKNOWN')),
    failure_reason      varchar(512),
    expires_at          timestamptz,
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    paid_at             timestamptz,
    delivered_at        timestamptz
);
create index orders_status_updated on orders (status, updated_at);
create index orders_buyer_created on orders (buyer_id, created_at desc);

-- unique amounts for on-chain payment; orders and top-ups share one amount space
create table payment_requests (
    id             bigserial    primary key,
    user_id        bigint       not null references users (telegram_id),
    order_id       varchar(12)  references orders (id),
    amount_micros  bigint       not null constraint payment_requests_amount_positive check (amount_micros > 0),
    status         varchar(16)  not null constraint payment_requests_status_valid check (status in ('OPEN', 'PAID', 'EXPIRED')),
    created_at     timestamptz  not null default now(),
    expires_at     timestamptz  not null,
    paid_at        timestamptz
);
create unique index payment_requests_open_amount_unique on payment_requests (amount_micros) where status = 'OPEN';
create index payment_requests_open_expiry on payment_requests (expires_at) where status = 'OPEN';

-- incoming money: on-chain transfers and Stars charges, each recorded once
create table payments (
    id               bigserial    primary key,
    provider         varchar(16)  not null,
    external_id      varchar(128) not null,
    currency         varchar(8)   not null,
    amount_micros    bigint       not null constraint payments_amount_positive check (amount_micros > 0),
    from_address     varchar(128),
    user_id          bigint       references users (telegram_id),
    request_id       bigint       references payment_requests (id),
    status           varchar(16)  not null constraint payments_status_valid check (status in ('CREDITED', 'UNMATCHED')),
    occurred_at      timestamptz  not null,
    created_at       timestamptz  not null default now(),
    constraint payments_external_unique unique (provider, external_id)
);
create index payments_unmatched on payments (created_at) where status = 'UNMATCHED';

create table delivery_attempts (
    id                 bigserial    primary key,
    order_id           varchar(12)  not null references orders (id),
    attempt            integer      not null,
    worker_id          varchar(128) not null,
    started_at         timestamptz  not null default now(),
    finished_at        timestamptz,
    outcome            varchar(24),
    error_code         integer,
    error_description  varchar(512),
    constraint delivery_attempts_unique unique (order_id, attempt)
);

create table processed_updates (
    update_id    bigint       primary key,
    received_at  timestamptz  not null default now()
);

create table audit_log (
    id              bigserial    primary key,
    action          varchar(64)  not null,
    target          varchar(128) not null,
    actor           varchar(128) not null,
    remote_address  varchar(64),
    details         varchar(2000),
    created_at      timestamptz  not null default now()
);
create index audit_log_created on audit_log (created_at desc);
