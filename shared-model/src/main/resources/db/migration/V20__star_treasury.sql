-- The Star treasury: the bot's Stars balance as the worker last read it (getMyStarBalance), and the rule that no
-- purchase takes money the balance can't deliver. Nothing here is a counter: what is reserved is read from the orders
-- and Stars refunds themselves, so a delivery, refund, failure or expiry releases its Stars by changing its own row —
-- nothing to keep in step, nothing to drift, and nothing a delivery or a payment of an existing order waits for.

create table star_treasury (
    id               smallint     primary key default 1 constraint star_treasury_one_row check (id = 1),
    -- null until the worker first read it: nothing is sold on a balance nobody has seen
    balance          bigint       constraint star_treasury_balance_not_negative check (balance >= 0),
    -- when that read was sent (the worker's clock): gifts and refunds recorded after it are not in the balance yet
    balance_at       timestamptz,
    -- the first refused purchase of a sold-out spell (null while Premium sells): the operator is told once per spell
    sold_out_since   timestamptz,
    updated_at       timestamptz  not null default now()
);
insert into star_treasury (id) values (1);

-- An unpaid order (a pay amount handed out, a Stars invoice sent) holds its gift cost while it waits, within the
-- per-customer and total bounds; beyond them it is refused only if the Stars can't cover it, and holds nothing.
alter table orders add column star_hold boolean not null default false;

-- the orders whose gift the balance must still pay for
create index orders_star_promised on orders (buyer_id) include (star_count)
    where status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN') or (status = 'PENDING_PAYMENT' and star_hold);
create index star_refunds_refunded on star_refunds (refunded_at) where status = 'REFUNDED';

-- What the balance read at `since` must still pay for, in Stars: gifts promised to paid orders, unpaid orders' holds,
-- and what left the balance after the read (gifts delivered and Stars refunded since: counted until a newer read
-- shows them; one that made it into the read is counted twice, which only ever sells less). Pending Stars refunds
-- count in full. Each purchase runs this under the treasury lock: it reads only rows that are reserved now.
create function star_treasury_reserved(since timestamptz)
    returns table (paid bigint, unpaid bigint, spent_since bigint)
    language sql stable as $$
    select coalesce(sum(star_count) filter (where status <> 'PENDING_PAYMENT'), 0)::bigint,
           coalesce(sum(star_count) filter (where status = 'PENDING_PAYMENT'), 0)::bigint,
           (select coalesce(sum(star_count), 0) from orders
             where status = 'DELIVERED' and updated_at > since and delivered_at > since)::bigint
         + (select coalesce(sum(stars), 0) from star_refunds
             where status = 'PENDING' or (status = 'REFUNDED' and refunded_at > since))::bigint
    from orders
    where status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN') or (status = 'PENDING_PAYMENT' and star_hold)
$$;

-- The gate every purchase passes before money moves, as one statement late in its transaction. It locks the order,
-- then the treasury row (so purchases take turns here, and only here), and reads what is reserved with a snapshot taken
-- after the lock: every purchase that passed before has committed and is counted. The order is covered when
-- balance - margin - what everything else reserves >= its gift cost. An unpaid order then takes a hold while its
-- customer holds at most `per_customer` Stars in unpaid holds and all customers together at most `share_percent` of
-- the balance (null: no bound, for a Stars checkout whose payment follows at once); beyond that it is let through
-- without a hold.
-- Answers COVERED (a paid order, or one already holding), HELD, UNHELD or SOLD_OUT (the caller rolls back).
create function star_treasury_take(p_order varchar, p_margin bigint, p_per_customer bigint, p_share_percent integer)
    returns varchar language plpgsql as $$
declare
    o           record;
    t           record;
    r           record;
    own         bigint;
    mine        bigint;
    everyone    bigint;
begin
    select status, star_count, star_hold, buyer_id into o from orders where id = p_order for update;
    if not found then
        raise exception 'star_treasury_take: no order %', p_order using errcode = 'P0002';
    end if;
    select balance, balance_at into t from star_treasury where id = 1 for update;
    if t.balance is null then
        return 'SOLD_OUT';
    end if;
    select * into r from star_treasury_reserved(t.balance_at);
    own := case when o.status in ('PAID', 'DELIVERING', 'DELIVERY_UNKNOWN')
                  or (o.status = 'PENDING_PAYMENT' and o.star_hold) then o.star_count else 0 end;
    if t.balance - p_margin - (r.paid + r.unpaid + r.spent_since - own) < o.star_count then
        return 'SOLD_OUT';
    end if;
    if o.status <> 'PENDING_PAYMENT' or o.star_hold then
        return 'COVERED';
    end if;
    select coalesce(sum(star_count) filter (where buyer_id = o.buyer_id), 0), coalesce(sum(star_count), 0)
        into mine, everyone
        from orders where status = 'PENDING_PAYMENT' and star_hold;
    if (p_per_customer is not null and mine + o.star_count > p_per_customer)
            or (p_share_percent is not null and (everyone + o.star_count) * 100 > t.balance * p_share_percent) then
        return 'UNHELD';
    end if;
    update orders set star_hold = true where id = p_order;
    return 'HELD';
end $$;
