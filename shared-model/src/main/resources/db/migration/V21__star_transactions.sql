-- Issue 23: the Star treasury. Every Star transaction Telegram lists is kept and classified; an operator can refill
-- the bot's Stars by paying an invoice sent to their own Telegram account.

-- A top-up invoice: INVOICED when sent to the operator's own Telegram account, PAID once (its charge id unique) when
-- that account paid exactly its Stars. Never an order, never a wallet credit.
create table star_top_ups (
    id           bigserial    primary key,
    operator     varchar(64)  not null,
    telegram_id  bigint       not null,
    stars        integer      not null constraint star_top_ups_stars_positive check (stars > 0),
    status       varchar(16)  not null default 'INVOICED'
                     constraint star_top_ups_status_valid check (status in ('INVOICED', 'PAID')),
    charge_id    varchar(128) constraint star_top_ups_charge_unique unique,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    paid_at      timestamptz,
    constraint star_top_ups_paid_has_its_charge
        check ((status = 'PAID') = (charge_id is not null and paid_at is not null))
);
create index star_top_ups_created on star_top_ups (created_at desc);

-- Every transaction of getStarTransactions, stored in the transaction that moves the shared cursor past its page, so
-- a page is imported exactly once whoever reads it; (transaction_id, direction) is unique because a refund keeps its
-- payment's id. stars/nanostars are the absolute amount; direction says whether it came in or went out.
-- The class says what explains it: our own records (CUSTOMER_PAYMENT, TOP_UP, GIFT, REFUND), each naming the one row
-- that explains it (one row explains one transaction), or nothing of ours (every other class: the operator sees it,
-- it is alerted on until acknowledged). PostgreSQL refuses an explained class without its row, and a row without it.
create table star_transactions (
    id                bigserial    primary key,
    transaction_id    varchar(128) not null,
    direction         varchar(3)   not null constraint star_transactions_direction_valid check (direction in ('IN', 'OUT')),
    stars             bigint       not null constraint star_transactions_stars_not_negative check (stars >= 0),
    nanostars         integer      not null default 0
                          constraint star_transactions_nanostars_range check (nanostars between 0 and 999999999),
    partner           varchar(32)  not null,
    transaction_type  varchar(32),
    partner_user_id   bigint,
    invoice_payload   varchar(128),
    made_at           timestamptz  not null,
    position          bigint       not null,
    class             varchar(24)  not null constraint star_transactions_class_valid check (class in
                          ('CUSTOMER_PAYMENT', 'TOP_UP', 'GIFT', 'REFUND',
                           'UNMATCHED_PAYMENT', 'UNMATCHED_GIFT', 'CHARGEBACK', 'WITHDRAWAL', 'PAID_BROADCAST', 'ADS',
                           'BUSINESS_TRANSFER', 'OTHER', 'UNKNOWN')),
    payment_id        bigint       references payments (id),
    top_up_id         bigint       references star_top_ups (id),
    attempt_id        bigint       references delivery_attempts (id),
    refund_id         bigint       references star_refunds (id),
    order_id          varchar(12)  references orders (id),
    imported_at       timestamptz  not null default now(),
    classified_at     timestamptz,
    acknowledged_by   varchar(64),
    acknowledged_at   timestamptz,
    acknowledgement   varchar(500),
    constraint star_transactions_once unique (transaction_id, direction),
    constraint star_transactions_payment_explains check ((class = 'CUSTOMER_PAYMENT') = (payment_id is not null)),
    constraint star_transactions_top_up_explains check ((class = 'TOP_UP') = (top_up_id is not null)),
    constraint star_transactions_gift_explains check ((class = 'GIFT') = (attempt_id is not null)),
    constraint star_transactions_refund_explains check ((class = 'REFUND') = (refund_id is not null)),
    constraint star_transactions_acknowledged_by_someone
        check ((acknowledged_at is null) = (acknowledged_by is null))
);
create unique index star_transactions_one_per_payment on star_transactions (payment_id) where payment_id is not null;
create unique index star_transactions_one_per_top_up on star_transactions (top_up_id) where top_up_id is not null;
create unique index star_transactions_one_per_attempt on star_transactions (attempt_id) where attempt_id is not null;
create unique index star_transactions_one_per_refund on star_transactions (refund_id) where refund_id is not null;
create index star_transactions_made on star_transactions (made_at desc, id desc);
-- what the operator has to look at, and what a later run may still explain: few rows
create index star_transactions_unexplained on star_transactions (class, id)
    where acknowledged_at is null and class not in ('CUSTOMER_PAYMENT', 'TOP_UP', 'GIFT', 'REFUND');

-- The import shares the settlement read's cursor: the cursor moves past a page only together with its rows. A cursor
-- moved by a reader that stored no rows (a worker older than this migration, during a rolling update) is wound back
-- to here by the next reader's lease; it starts at 0, so the history read before this migration is imported once.
alter table star_transactions_cursor add column imported_offset bigint not null default 0
    constraint star_transactions_cursor_imported_not_negative check (imported_offset >= 0);
