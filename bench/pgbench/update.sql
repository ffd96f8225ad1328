-- The statements one webhook update needs, as api-service issued them before this bench's changes: claim the
-- update_id, upsert the sender, read the sender back, in one transaction (pgbench -f, variables per transaction).
\set uid random(1, 9000000000000000)
\set tg random(9100000000, 9100020000)
begin;
insert into processed_updates (update_id, received_at) values (:uid, now()) on conflict do nothing;
insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
  values (:tg, 'pgbench', 'pgbench', 'en', 0, now(), now())
  on conflict (telegram_id) do update set username = excluded.username, first_name = excluded.first_name,
     language_code = excluded.language_code, updated_at = now()
  returning (xmax = 0);
select telegram_id, balance_micros from users where telegram_id = :tg;
commit;
