-- A deposit is a TRC20 Transfer event, not a transaction: payout services send several transfers in one
-- transaction (one hash). TronGrid's account listing gives no event index, so a TRC20 payment's external_id is
-- <hash>:<from>:<value in micros>:<n>, n counting the transaction's transfers to us with that same sender and
-- value (1 unless one transaction sent us the same amount from the same sender twice). The ledger key follows it:
-- trc20:<hash>:<from>:<value>:<n>. Entries already keyed trc20:<hash> stay as they are (they are immutable).
alter table payments alter column external_id type varchar(200);
alter table ledger_entries alter column idempotency_key type varchar(256);

create function trc20_event_id(external_id varchar, from_address varchar, amount_micros bigint) returns varchar
    language sql immutable as $$
    select external_id || ':' || coalesce(from_address, '') || ':' || amount_micros || ':1'
$$;

-- rows booked before: each was the only event recorded for its hash, so it is that sender's and value's first
update payments set external_id = trc20_event_id(external_id, from_address, amount_micros)
where provider = 'TRC20' and position(':' in external_id) = 0;

-- a writer that still keys a transfer by its bare hash (an older replica during a rollout, a hand-written fix) lands
-- on the same event id, so the unique key still lets each event in once and an old single-event transaction polled
-- again is a duplicate, never a second credit
create function payments_trc20_event_id() returns trigger language plpgsql as $$
begin
    if new.provider = 'TRC20' and position(':' in new.external_id) = 0 then
        new.external_id := trc20_event_id(new.external_id, new.from_address, new.amount_micros);
    end if;
    return new;
end $$;
create trigger payments_trc20_event_id before insert on payments
    for each row execute function payments_trc20_event_id();

-- A customer's unpaid requests hold their amounts until expiry plus the quarantine, so they count against them:
-- the per-customer bound reads this index (paid requests are real customers and don't count).
create index payment_requests_user_unpaid on payment_requests (user_id, held_until) where status <> 'PAID';
