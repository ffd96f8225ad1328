-- The ledger's invariant is PostgreSQL's to keep, not only the code's:
--   1. a ledger entry, once written, never changes and never goes away;
--   2. each entry continues its user's chain: balance_after = the previous entry's balance_after + amount;
--   3. at commit, a user's balance equals the balance_after of their latest entry (0 with no entry), so a balance
--      moves only together with the entry that explains it, in the same transaction.
-- Errors carry SQLSTATE 23514 (check_violation): to callers they are constraint violations like any other.

create function ledger_entries_refuse_change() returns trigger
    language plpgsql as $$
begin
    raise exception 'ledger entries are append-only: % on ledger_entries refused', tg_op
        using errcode = 'check_violation';
end;
$$;

create trigger ledger_entries_append_only
    before update or delete on ledger_entries
    for each row execute function ledger_entries_refuse_change();

create trigger ledger_entries_no_truncate
    before truncate on ledger_entries
    for each statement execute function ledger_entries_refuse_change();

create function ledger_entry_continues_chain() returns trigger
    language plpgsql as $$
declare
    previous_after bigint;
begin
    -- the user's row lock orders concurrent entries of one user (the balance update took it already)
    perform 1 from users where telegram_id = new.user_id for update;
    select balance_after_micros into previous_after
    from ledger_entries where user_id = new.user_id order by id desc limit 1;
    if new.balance_after_micros <> coalesce(previous_after, 0) + new.amount_micros then
        raise exception 'ledger entry for user % does not continue the chain: % + % <> %', new.user_id,
            coalesce(previous_after, 0), new.amount_micros, new.balance_after_micros
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger ledger_entries_continue_chain
    before insert on ledger_entries
    for each row execute function ledger_entry_continues_chain();

create function balance_matches_latest_entry() returns trigger
    language plpgsql as $$
declare
    checked_user bigint;
    balance bigint;
    latest_after bigint;
begin
    if tg_table_name = 'users' then
        checked_user := new.telegram_id;
    else
        checked_user := new.user_id;
    end if;
    select balance_micros into balance from users where telegram_id = checked_user;
    select balance_after_micros into latest_after
    from ledger_entries where user_id = checked_user order by id desc limit 1;
    if balance is distinct from coalesce(latest_after, 0) then
        raise exception 'balance of user % is % but their ledger says %: a balance moves only with its ledger entry',
            checked_user, balance, coalesce(latest_after, 0)
            using errcode = 'check_violation';
    end if;
    return null;
end;
$$;

-- deferred to commit: the code moves the balance first and writes its entry next, in one transaction
create constraint trigger users_balance_moves_with_entry
    after update of balance_micros on users
    deferrable initially deferred
    for each row when (new.balance_micros is distinct from old.balance_micros)
    execute function balance_matches_latest_entry();

create constraint trigger users_start_with_empty_balance
    after insert on users
    deferrable initially deferred
    for each row when (new.balance_micros <> 0)
    execute function balance_matches_latest_entry();

create constraint trigger ledger_entries_move_the_balance
    after insert on ledger_entries
    deferrable initially deferred
    for each row execute function balance_matches_latest_entry();
