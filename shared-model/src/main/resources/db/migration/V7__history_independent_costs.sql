-- Costs that stay flat as history grows: totals kept as money and orders move, an incremental drift check,
-- indexes for the operator's queries over what is kept forever, and pruning of what is not.

-- Σ amount per ledger reason, kept by a trigger in the inserting transaction. Striped over 16 rows per reason by
-- backend pid, so concurrent transactions don't queue on one hot row; readers sum the stripes.
create table ledger_totals (
    reason         varchar(32) not null,
    stripe         smallint    not null,
    amount_micros  bigint      not null default 0,
    entries        bigint      not null default 0,
    primary key (reason, stripe)
);

create function ledger_totals_add() returns trigger language plpgsql as $$
begin
    insert into ledger_totals as t (reason, stripe, amount_micros, entries)
    values (new.reason, pg_backend_pid() % 16, new.amount_micros, 1)
    on conflict (reason, stripe) do update
        set amount_micros = t.amount_micros + excluded.amount_micros, entries = t.entries + 1;
    return null;
end $$;

-- its own function and trigger, beside any other trigger on ledger_entries (the ledger is append-only)
create trigger ledger_entries_totals after insert on ledger_entries
    for each row execute function ledger_totals_add();

insert into ledger_totals (reason, stripe, amount_micros, entries)
select reason, 0, sum(amount_micros), count(*) from ledger_entries group by reason;

-- orders by status, kept the same way on insert, status change and delete
create table order_status_counts (
    status  varchar(20) not null,
    stripe  smallint    not null,
    orders  bigint      not null default 0,
    primary key (status, stripe)
);

create function order_status_counts_move() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        insert into order_status_counts as c (status, stripe, orders) values (old.status, pg_backend_pid() % 16, -1)
        on conflict (status, stripe) do update set orders = c.orders - 1;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        insert into order_status_counts as c (status, stripe, orders) values (new.status, pg_backend_pid() % 16, 1)
        on conflict (status, stripe) do update set orders = c.orders + 1;
    end if;
    return null;
end $$;

create trigger orders_status_counts_insert_delete after insert or delete on orders
    for each row execute function order_status_counts_move();
create trigger orders_status_counts_update after update of status on orders
    for each row when (old.status is distinct from new.status) execute function order_status_counts_move();

insert into order_status_counts (status, stripe, orders)
select status, 0, count(*) from orders group by status;

-- The drift check reads only users with ledger entries after its watermark; a full check on a slow schedule
-- rebuilds the list. One row of state; ledger_drift holds the users found drifting (normally none).
create table ledger_drift_state (
    id                   smallint    primary key default 1 constraint ledger_drift_state_one_row check (id = 1),
    checked_up_to        bigint      not null default 0,
    incremental_at       timestamptz,
    full_at              timestamptz
);
insert into ledger_drift_state (id) values (1);

create table ledger_drift (
    user_id       bigint      primary key,
    drift_micros  bigint      not null,
    found_at      timestamptz not null default now()
);

-- operator queries over history kept forever: orders by recipient and newest first (optionally by status),
-- ledger entries by reference (an order's money), payments by sending address
create index orders_recipient_created on orders (recipient_id, created_at desc);
create index orders_created on orders (created_at desc, id);
create index orders_status_created on orders (status, created_at desc, id);
create index ledger_entries_reference on ledger_entries (reference) where reference is not null;
create index payments_sender on payments (from_address, occurred_at desc) where from_address is not null;

-- processed updates are pruned by age in small batches
create index processed_updates_received on processed_updates (received_at);
