-- Customer notifications as an outbox: written when an outcome is known, sent by the worker from the Telegram
-- budget that gifts leave (several of one buyer in one message), finished once Telegram answered. A row is
-- never deleted by the sender; dedup_key makes writing the same notification twice a no-op.
create table customer_notifications (
    id           bigserial     primary key,
    dedup_key    varchar(200)  not null constraint customer_notifications_once unique,
    chat_id      bigint        not null,
    kind         varchar(32)   not null,
    text         text          not null,
    created_at   timestamptz   not null default now(),
    attempts     integer       not null default 0,
    next_at      timestamptz   not null default now(),
    lease_until  timestamptz,
    finished_at  timestamptz,
    outcome      varchar(16)   constraint customer_notifications_outcome_valid check (outcome in
                                   ('SENT', 'BLOCKED', 'REJECTED', 'UNKNOWN', 'GAVE_UP')),
    constraint customer_notifications_finished_with_outcome check ((finished_at is null) = (outcome is null))
);

-- what the sender looks for: unfinished rows, oldest first
create index customer_notifications_pending on customer_notifications (next_at, id) where finished_at is null;
