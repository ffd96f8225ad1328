-- A gift call has no idempotency key, so each attempt records whether its request may have gone out:
-- sent_at is written (conditionally, as the fence) right before the call; settlement records what the bot's
-- Star transactions showed for an attempt whose answer was ambiguous or whose worker vanished. Every writer
-- updates an attempt only "where settlement is null", so a worker and a reconciler can never both decide it.
alter table delivery_attempts add column sent_at timestamptz;
alter table delivery_attempts add column settlement varchar(16)
    constraint delivery_attempts_settlement_valid check (settlement in ('FOUND', 'ABSENT', 'UNCLEAR', 'NOT_SENT'));
alter table delivery_attempts add column settled_at timestamptz;
create index delivery_attempts_unsettled on delivery_attempts (order_id) where settlement is null;

-- How far the bot's Star transactions (chronological, paged by offset) have been read, and who may read them:
-- one replica at a time holds the lease; the cursor moves only with it.
create table star_transactions_cursor (
    id             integer      primary key constraint star_transactions_cursor_single check (id = 1),
    next_offset    bigint       not null constraint star_transactions_cursor_not_negative check (next_offset >= 0),
    lease_holder   varchar(64),
    lease_until    timestamptz,
    updated_at     timestamptz  not null default now()
);
insert into star_transactions_cursor (id, next_offset) values (1, 0);

-- Every premium_purchase the bot paid for, as read from getStarTransactions: the proof a gift went out.
create table star_gifts (
    transaction_id  varchar(128) primary key,
    user_id         bigint       not null,
    months          integer      not null,
    made_at         timestamptz  not null,
    -- the attempt this gift proves; one gift proves one attempt
    attempt_id      bigint       constraint star_gifts_attempt_unique unique references delivery_attempts (id),
    seen_at         timestamptz  not null default now()
);
create index star_gifts_user on star_gifts (user_id, months, made_at);
