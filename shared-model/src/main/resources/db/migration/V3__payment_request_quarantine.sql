-- An on-chain amount identifies its payer only while nobody else can hold it. Each request holds its amount
-- from created_at until held_until (its expiry plus a quarantine for late payments, 24 h by default); the
-- database refuses a second request whose hold overlaps, whatever its status. int8range over the amount keeps
-- the exclusion constraint on built-in GiST range operators (no btree_gist extension needed).
alter table payment_requests add column held_until timestamptz;
-- what was asked before the unique suffix (an order's price or the top-up amount): "the same again" reuses the request
alter table payment_requests add column base_micros bigint;

-- rows from before: held until expiry plus a day, but never into the next holder of the same amount
update payment_requests r set held_until = least(r.expires_at + interval '24 hours',
        coalesce(nxt.next_created, 'infinity'::timestamptz))
from (select id, lead(created_at) over (partition by amount_micros order by created_at, id) as next_created
      from payment_requests) nxt
where nxt.id = r.id;
update payment_requests set held_until = created_at where held_until < created_at;

-- a writer that names no hold still gets the default quarantine: the rule lives here, not only in the services
create function payment_requests_default_hold() returns trigger language plpgsql as $$
begin
    if new.held_until is null then
        new.held_until := new.expires_at + interval '24 hours';
    end if;
    return new;
end $$;
create trigger payment_requests_default_hold before insert on payment_requests
    for each row execute function payment_requests_default_hold();

alter table payment_requests alter column held_until set not null;
alter table payment_requests add constraint payment_requests_hold_ordered check (held_until >= created_at);
alter table payment_requests add constraint payment_requests_amount_held_once exclude using gist (
    int8range(amount_micros, amount_micros, '[]') with &&,
    tstzrange(created_at, held_until, '[)') with &&);
-- the exclusion constraint covers every open request too
drop index payment_requests_open_amount_unique;

-- a customer's open requests: the cap and "the same again"
create index payment_requests_user_open on payment_requests (user_id) where status = 'OPEN';

-- the payer is never guessed from the sending address (exchange hot wallets are shared), so this lookup goes
drop index payments_from_address;
