-- Faults that overlap (issue 22, cases 5 and 6).

-- 5. A flood wait: Telegram answered an order's gift with 429 retry_after. No gift call goes out for the order before
-- this time, whoever enqueued the job (its own retry, the reconciler, another replica, an operator): the claim
-- PAID → DELIVERING is conditional on it, and the reconciler doesn't pick the order up before it.
alter table orders add column gift_not_before timestamptz;

-- 6. An order ends delivered or refunded, never both, never neither.
-- WITHDRAWN: a Stars refund that must not be sent because its order was delivered after all (rows written before
-- this migration, when a retry could overtake a pending refund); the operator checks whether an earlier try got
-- through (attempts > 0).
alter table star_refunds drop constraint star_refunds_status_valid;
alter table star_refunds add constraint star_refunds_status_valid
    check (status in ('PENDING', 'REFUNDED', 'REFUSED', 'WITHDRAWN'));

-- An order's refund, once under way, is where the order ends:
--   a REFUNDED order never moves again (never retried, never delivered);
--   a DELIVERED order is never refunded;
--   a FAILED order whose Stars refund is PENDING or REFUNDED only moves to REFUNDED: a refundStarPayment that may
--   already have reached Telegram (a 502 is "maybe done") can't be called back, so retry and requeue are refused.
-- Errors carry SQLSTATE 23514 (check_violation), as the ledger's do.
create function orders_refund_is_final() returns trigger
    language plpgsql as $$
begin
    if old.status = 'REFUNDED' then
        raise exception 'order % is REFUNDED: it never moves to %', old.id, new.status
            using errcode = 'check_violation';
    end if;
    if old.status = 'DELIVERED' and new.status = 'REFUNDED' then
        raise exception 'order % is DELIVERED: it is never refunded as well', old.id
            using errcode = 'check_violation';
    end if;
    if old.status = 'FAILED' and new.status <> 'REFUNDED' and exists (
            select 1 from star_refunds
            where order_id = old.id and reason = 'UNDELIVERABLE' and status in ('PENDING', 'REFUNDED')) then
        raise exception 'order % has a Stars refund under way: it ends REFUNDED, not %', old.id, new.status
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger orders_refund_is_final
    before update of status on orders
    for each row
    when (old.status in ('FAILED', 'DELIVERED', 'REFUNDED') and new.status is distinct from old.status)
    execute function orders_refund_is_final();

-- A Stars refund of an undeliverable order is requested (or re-opened) only while the order is FAILED. The order's
-- row lock orders it against a retry: whichever comes second sees the other committed and is refused.
create function star_refund_needs_failed_order() returns trigger
    language plpgsql as $$
declare
    order_status varchar(20);
begin
    select status into order_status from orders where id = new.order_id for share;
    if order_status is distinct from 'FAILED' then
        raise exception 'a Stars refund of order % needs it FAILED, it is %', new.order_id, order_status
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger star_refunds_need_failed_order
    before insert or update of status on star_refunds
    for each row
    when (new.status = 'PENDING' and new.reason = 'UNDELIVERABLE' and new.order_id is not null)
    execute function star_refund_needs_failed_order();
