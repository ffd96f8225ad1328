-- Issue 22 (cases 1, 2, 8): a gift proves exactly one attempt, and each attempt that may have made one names it;
-- an absence counts only once Telegram provably caught up with the request.

-- When a getStarTransactions request sent after this attempt's request was over (answered 5xx, timed out, or its
-- worker gone) was answered: Telegram was done with the attempt by then (docs/queue.md, "When faults overlap").
alter table delivery_attempts add column caught_up_at timestamptz;
-- The premium_purchase that proves the attempt, named by the attempt itself (the gift names it back below).
alter table delivery_attempts add column gift_transaction_id varchar(128);
-- When a complete read of the Star transactions, after every attempt that could claim a gift of that recipient and
-- months had its gift listed, left none for this attempt: the proof its request made nothing.
alter table delivery_attempts add column no_gift_at timestamptz;

update delivery_attempts a set gift_transaction_id = g.transaction_id from star_gifts g where g.attempt_id = a.id;

-- The pair (gift, attempt) is one row of star_gifts: an attempt can only name a gift that names it back, and a gift
-- an attempt names can no longer be given to another attempt (the foreign key refuses the change).
alter table star_gifts add constraint star_gifts_attribution unique (transaction_id, attempt_id);
alter table delivery_attempts add constraint delivery_attempts_gift_attributed
    foreign key (gift_transaction_id, id) references star_gifts (transaction_id, attempt_id);
alter table delivery_attempts add constraint delivery_attempts_one_attempt_per_gift unique (gift_transaction_id);
alter table delivery_attempts add constraint delivery_attempts_found_names_its_gift
    check (settlement is distinct from 'FOUND' or gift_transaction_id is not null);
alter table delivery_attempts add constraint delivery_attempts_absent_names_no_gift
    check (settlement is distinct from 'ABSENT' or gift_transaction_id is null);
alter table delivery_attempts add constraint delivery_attempts_gift_or_none
    check (gift_transaction_id is null or no_gift_at is null);

-- And the other way: at commit, a gift attributed to an attempt is the gift that attempt names.
create function star_gift_named_by_its_attempt() returns trigger language plpgsql as $$
begin
    if new.attempt_id is not null and not exists (
            select 1 from delivery_attempts where id = new.attempt_id and gift_transaction_id = new.transaction_id) then
        raise exception 'star gift % is attributed to attempt %, which names another gift or none',
            new.transaction_id, new.attempt_id using errcode = '23514';
    end if;
    return null;
end
$$;
create constraint trigger star_gifts_named_by_their_attempt after insert or update of attempt_id on star_gifts
    deferrable initially deferred for each row execute function star_gift_named_by_its_attempt();

-- The attempts that may still have made a gift nobody has matched yet (answered 5xx or nothing, or still open):
-- few at any time, so the settler finds their recipients without scanning the history.
create index delivery_attempts_awaiting_proof on delivery_attempts (order_id)
    where gift_transaction_id is null and no_gift_at is null and outcome is distinct from 'DELIVERED'
      and coalesce(outcome, '') not in ('NOT_SENT', 'RATE_LIMITED', 'UNAVAILABLE', 'BALANCE_TOO_LOW', 'REJECTED')
      and coalesce(settlement, '') not in ('FOUND', 'ABSENT', 'NOT_SENT');
create index star_gifts_unattributed on star_gifts (user_id, months, made_at) where attempt_id is null;
