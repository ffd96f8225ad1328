-- What the orders promise and have spent in Stars, kept as running totals by PostgreSQL itself, so that the purchase
-- gate (star_treasury_take, run by every purchase under the treasury lock) reads a few counters instead of summing
-- orders: at promotion scale the delivery queue holds thousands of PAID orders (the worker gifts 30 a second,
-- customers buy hundreds) and the balance may not have been read for a while (thousands of gifts delivered since),
-- and summing those under the lock made each purchase slower than the last.
--
-- The totals are exact, not estimates: triggers on orders add every change of an order's promise (its status, hold
-- or star count) in the same transaction as the change, so they commit or roll back with it; no application code
-- writes them. star_reservations_recount() sums the orders the old way, to check them against.
--
-- Sixteen slots instead of one row: a transaction adds to the slot of its backend (pg_backend_pid() % 16), so the
-- worker's deliveries (which release Stars) don't queue behind purchases on one hot row, and a transaction only ever
-- touches one slot (no lock-order cycles between slots). The gate sums the sixteen.

create table star_reservations (
    slot    smallint primary key constraint star_reservations_slot check (slot between 0 and 15),
    -- Stars promised to PAID, DELIVERING and DELIVERY_UNKNOWN orders
    paid    bigint   not null default 0,
    -- Stars held by unpaid orders (PENDING_PAYMENT with star_hold)
    unpaid  bigint   not null default 0,
    -- Stars of every gift delivered (DELIVERED orders), ever: what a balance read doesn't show yet is the growth since
    -- the read (star_treasury.spent_at_read)
    spent   bigint   not null default 0
);
-- a slot may be negative (a delivery releases in its own slot what a purchase added to another); their sum never is
insert into star_reservations (slot) select generate_series(0, 15);

-- What one order promises, split as the counters are.
create function star_promise_paid(status varchar, star_count integer) returns bigint
    language sql immutable as $$
    select case when status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN') then coalesce(star_count, 0) else 0 end::bigint
$$;
create function star_promise_unpaid(status varchar, star_hold boolean, star_count integer) returns bigint
    language sql immutable as $$
    select case when status = 'PENDING_PAYMENT' and star_hold then coalesce(star_count, 0) else 0 end::bigint
$$;
create function star_spent(status varchar, star_count integer) returns bigint
    language sql immutable as $$
    select case when status = 'DELIVERED' then coalesce(star_count, 0) else 0 end::bigint
$$;

-- Statement-level, with the statement's old and new rows: one counter update per statement however many orders it
-- changed, made after the statement took all its order locks (a multi-row expiry never interleaves order locks with
-- the slot's), and none at all when nothing promised changed (most updates of an order: timestamps, attempts).
create function star_reservations_follow() returns trigger language plpgsql as $$
declare
    d_paid   bigint := 0;
    d_unpaid bigint := 0;
    d_spent  bigint := 0;
    n_paid   bigint;
    n_unpaid bigint;
    n_spent  bigint;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        select coalesce(sum(star_promise_paid(status, star_count)), 0),
               coalesce(sum(star_promise_unpaid(status, star_hold, star_count)), 0),
               coalesce(sum(star_spent(status, star_count)), 0)
          into n_paid, n_unpaid, n_spent from old_orders;
        d_paid := d_paid - n_paid;
        d_unpaid := d_unpaid - n_unpaid;
        d_spent := d_spent - n_spent;
    end if;
    if tg_op in ('UPDATE', 'INSERT') then
        select coalesce(sum(star_promise_paid(status, star_count)), 0),
               coalesce(sum(star_promise_unpaid(status, star_hold, star_count)), 0),
               coalesce(sum(star_spent(status, star_count)), 0)
          into n_paid, n_unpaid, n_spent from new_orders;
        d_paid := d_paid + n_paid;
        d_unpaid := d_unpaid + n_unpaid;
        d_spent := d_spent + n_spent;
    end if;
    if d_paid <> 0 or d_unpaid <> 0 or d_spent <> 0 then
        update star_reservations set paid = paid + d_paid, unpaid = unpaid + d_unpaid, spent = spent + d_spent
         where slot = pg_backend_pid() % 16;
    end if;
    return null;
end $$;

-- (PostgreSQL allows transition tables only on a trigger of one event: three triggers, one function)
create trigger orders_star_reservations_insert after insert on orders
    referencing new table as new_orders
    for each statement execute function star_reservations_follow();
create trigger orders_star_reservations_update after update on orders
    referencing old table as old_orders new table as new_orders
    for each statement execute function star_reservations_follow();
create trigger orders_star_reservations_delete after delete on orders
    referencing old table as old_orders
    for each statement execute function star_reservations_follow();

-- The orders summed the old way: what the counters must always equal (tests and operators compare them).
create function star_reservations_recount() returns table (paid bigint, unpaid bigint, spent bigint)
    language sql stable as $$
    select coalesce(sum(star_promise_paid(status, star_count)), 0)::bigint,
           coalesce(sum(star_promise_unpaid(status, star_hold, star_count)), 0)::bigint,
           coalesce(sum(star_spent(status, star_count)), 0)::bigint
    from orders
    where status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN', 'DELIVERED') or (status = 'PENDING_PAYMENT' and star_hold)
$$;

-- The orders table is locked against writes since the triggers were created (until this migration commits), so the
-- starting totals can't miss a change.
update star_reservations s set paid = r.paid, unpaid = r.unpaid, spent = r.spent
  from star_reservations_recount() r where s.slot = 0;

-- What the gifts delivered had spent by the time a balance read was asked (balance_at): the Stars of gifts delivered
-- before it, which the read shows gone. Whoever stores a read (the worker, api-service after a top-up, a tool), this
-- trigger marks it, in the same snapshot for both sums. A gift committed after the mark but delivered before the read
-- counts as spent twice until the next read: that only ever sells less.
alter table star_treasury add column spent_at_read bigint not null default 0;

create function star_treasury_mark_read() returns trigger language plpgsql as $$
begin
    select (select coalesce(sum(s.spent), 0) from star_reservations s)
         - (select coalesce(sum(o.star_count), 0) from orders o
             where o.status = 'DELIVERED' and o.delivered_at > new.balance_at)
      into new.spent_at_read;
    return new;
end $$;
create trigger star_treasury_marks_each_read before update on star_treasury
    for each row when (new.balance_at is distinct from old.balance_at)
    execute function star_treasury_mark_read();
update star_treasury t set spent_at_read =
       (select coalesce(sum(s.spent), 0) from star_reservations s)
     - (select coalesce(sum(o.star_count), 0) from orders o where o.status = 'DELIVERED' and o.delivered_at > t.balance_at)
 where id = 1;

-- V20's answer, now read from the counters: the Stars promised to paid orders, held by unpaid ones, and what left the
-- balance after its last read (gifts delivered since, counted until a newer read shows them; Stars refunds pending, in
-- full, or refunded since). No parameter: the read it is relative to is the stored one. The V20 signature stays,
-- answering the same, for pods of the previous release during a rolling deploy (a later migration drops it).
create function star_treasury_reserved()
    returns table (paid bigint, unpaid bigint, spent_since bigint)
    language sql stable as $$
    select (select coalesce(sum(s.paid), 0) from star_reservations s)::bigint,
           (select coalesce(sum(s.unpaid), 0) from star_reservations s)::bigint,
           ((select coalesce(sum(s.spent), 0) from star_reservations s) - t.spent_at_read)::bigint
         + (select coalesce(sum(r.stars), 0) from star_refunds r
             where r.status = 'PENDING' or (r.status = 'REFUNDED' and r.refunded_at > t.balance_at))::bigint
    from star_treasury t where t.id = 1
$$;
create or replace function star_treasury_reserved(since timestamptz)
    returns table (paid bigint, unpaid bigint, spent_since bigint)
    language sql stable as $$ select * from star_treasury_reserved() $$;

-- No order's gift costs more than a year of Premium (2,500 Stars, Months.TWELVE): the plenty rule below relies on it.
-- NOT VALID: checked for every order written from now on, without scanning the orders of the past.
alter table orders add constraint orders_star_count_at_most_a_year check (star_count <= 2500) not valid;

-- Stars beyond which a purchase needs no turn at the treasury lock. What the lock adds over a plain read is that a
-- purchase sees every purchase that passed this gate before it; without the turn it may miss those still in flight:
-- at most max_connections transactions, each a purchase of one order (the gate runs in the transaction that creates
-- or pays that order), whose gift is at most a year's. With this much left over after its own gift, a purchase can't
-- take the last Stars whatever they do. (Orders paid without passing the gate — an on-chain payment of an order past
-- its hold bounds, an operator's retry — and Stars refunds were never serialised by the lock either.)
create function star_treasury_plenty() returns bigint language sql stable as $$
    select current_setting('max_connections')::bigint * 2500
$$;

-- The key of the advisory lock that keeps the two kinds of turn apart ("STARS" in ASCII): a purchase let through by
-- plenty holds it shared until its commit, a purchase checked exactly takes it exclusive after the treasury row — so
-- the exact check waits for every plenty purchase still in flight to commit, and sees it, and no plenty purchase
-- passes while an exact one is deciding. Shared holders never wait for each other; none of it is written to the WAL.
create function star_treasury_turn() returns bigint language sql immutable as $$ select 358812783187::bigint $$;

-- V20's gate, with the counters, two changes of locking, and the same answers.
-- 1. Plenty: a paid order (or one already holding) whose gift leaves more than star_treasury_plenty() Stars over is
--    COVERED without the treasury row lock, holding star_treasury_turn() shared (above), so purchases don't take
--    turns while the bot holds plenty of Stars. It decides which turn to take from a plain read (twice the plenty,
--    so that the read under the shared lock, in one snapshot with the balance, finds at least the plenty); should
--    that second read fall short (a new balance read showing a large deduction in between), it answers SOLD_OUT:
--    holding the shared lock it can neither check exactly nor wait for the exclusive one.
-- 2. Lock order: the treasury row (and then the exclusive turn) is the last lock a transaction takes. Every purchase
--    writes its order, debit and counters (locking counter rows: the slots here, V24's totals) before it reaches this
--    gate, and commits right after it; a gate that changed an order after taking the treasury lock would wait for a
--    slot that a purchase queued behind it holds (a deadlock PostgreSQL breaks by failing one of them). So an unpaid
--    order that may take a hold takes it first, and the refusal undoes it (its slot is then already this
--    transaction's: the undo waits for nobody).
create or replace function star_treasury_take(p_order varchar, p_margin bigint, p_per_customer bigint,
                                              p_share_percent integer)
    returns varchar language plpgsql as $$
declare
    o           record;
    t           record;
    r           record;
    holding     boolean;
    own         bigint;
    mine        bigint;
    left_over   bigint;
begin
    select status, star_count, star_hold, buyer_id into o from orders where id = p_order for update;
    if not found then
        raise exception 'star_treasury_take: no order %', p_order using errcode = 'P0002';
    end if;
    holding := o.status = 'PENDING_PAYMENT' and not o.star_hold;
    -- what this order promises (a hold taken below included), counted in r like every other order
    own := case when o.status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN') or o.status = 'PENDING_PAYMENT'
                     then o.star_count else 0 end;
    if not holding then
        select tr.balance - p_margin - (rr.paid + rr.unpaid + rr.spent_since - own) - o.star_count into left_over
          from star_treasury tr, star_treasury_reserved() rr where tr.id = 1;
        if left_over >= 2 * star_treasury_plenty() then
            perform pg_advisory_xact_lock_shared(star_treasury_turn());
            select tr.balance - p_margin - (rr.paid + rr.unpaid + rr.spent_since - own) - o.star_count into left_over
              from star_treasury tr, star_treasury_reserved() rr where tr.id = 1;
            if left_over >= star_treasury_plenty() then
                return 'COVERED';
            end if;
            return 'SOLD_OUT';
        end if;
    else
        update orders set star_hold = true where id = p_order;
    end if;
    select balance, balance_at into t from star_treasury where id = 1 for update;
    perform pg_advisory_xact_lock(star_treasury_turn());
    if t.balance is not null then
        select * into r from star_treasury_reserved();
    end if;
    if t.balance is null or t.balance - p_margin - (r.paid + r.unpaid + r.spent_since - own) < o.star_count then
        if holding then
            update orders set star_hold = false where id = p_order;
        end if;
        return 'SOLD_OUT';
    end if;
    if not holding then
        return 'COVERED';
    end if;
    select coalesce(sum(star_count), 0) into mine
        from orders where buyer_id = o.buyer_id and status = 'PENDING_PAYMENT' and star_hold and id <> p_order;
    if (p_per_customer is not null and mine + o.star_count > p_per_customer)
            or (p_share_percent is not null and r.unpaid * 100 > t.balance * p_share_percent) then
        update orders set star_hold = false where id = p_order;
        return 'UNHELD';
    end if;
    return 'HELD';
end $$;
