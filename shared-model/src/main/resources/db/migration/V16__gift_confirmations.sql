-- A typed "/buy N @username" for someone else asks before money moves (a gift can't be taken back): its confirmation
-- is marked by_username, is paid only through its own Confirm button, and has its recipient checked with Telegram
-- again when tapped late (the username may have moved to another account since). Cancel closes a confirmation for
-- good; a cancelled one can never buy.
alter table purchase_confirmations add column by_username boolean not null default false;
alter table purchase_confirmations add column cancelled_at timestamptz;
alter table purchase_confirmations add constraint purchase_confirmations_used_or_cancelled
    check (used_at is null or cancelled_at is null);
