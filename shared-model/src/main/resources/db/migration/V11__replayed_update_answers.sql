-- Telegram re-sends an update whose answer did not reach it, which is exactly when the first attempt may have
-- committed: the reply of a claimed (money- or order-changing) update is kept with its claim, in the same
-- transaction, so a replay is answered with what the first attempt said. Null: answered with nothing.
alter table processed_updates add column reply text;
