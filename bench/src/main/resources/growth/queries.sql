-- One statement per tick of each periodic job and per operator call, as the services issue them (parameters
-- filled with typical values; :ledger_top is the database's highest ledger entry id). Each block: a "-- name: <what>" line, then the statement up to the next block.
-- name: gauges (before V7): orders by status, full aggregate
select status, count(*) from orders group by status
-- name: gauges (before V7): ledger by reason, full aggregate
select reason, coalesce(sum(amount_micros), 0)::bigint from ledger_entries group by reason
-- name: gauges (before V7): ledger drift, full aggregate
select count(*), coalesce(sum(abs(u.balance_micros - coalesce(l.total, 0))), 0)::bigint from users u left join (select user_id, sum(amount_micros) as total from ledger_entries group by user_id) l on l.user_id = u.telegram_id where u.balance_micros <> coalesce(l.total, 0)
-- name: gauges: orders by status from order_status_counts
select status, sum(orders)::bigint from order_status_counts group by status
-- name: gauges: ledger by reason from ledger_totals
select reason, sum(amount_micros)::bigint from ledger_totals group by reason
-- name: gauges: drift list
select count(*), coalesce(sum(abs(drift_micros)), 0)::bigint from ledger_drift
-- name: gauges: incremental drift check (1,000 new entries + 1,000 overlap)
with changed as (select distinct user_id from ledger_entries where id > greatest(0, :ledger_top - 2000) and id <= :ledger_top), drift as (select c.user_id, (select balance_micros from users u where u.telegram_id = c.user_id) - coalesce((select sum(amount_micros) from ledger_entries e where e.user_id = c.user_id), 0) as micros from changed c), cleared as (delete from ledger_drift d using drift where d.user_id = drift.user_id and drift.micros = 0), found as (insert into ledger_drift (user_id, drift_micros) select user_id, micros from drift where micros <> 0 on conflict (user_id) do update set drift_micros = excluded.drift_micros, found_at = now()) update ledger_drift_state set checked_up_to = greatest(checked_up_to, :ledger_top), incremental_at = now() where id = 1
-- name: expiry: orders
update orders set status = 'EXPIRED', updated_at = now() where status = 'PENDING_PAYMENT' and expires_at < now()
-- name: expiry: payment requests
update payment_requests set status = 'EXPIRED' where status = 'OPEN' and (expires_at < now() or order_id in (select id from orders where status = 'EXPIRED'))
-- name: reconciler: stalled PAID
update orders set updated_at = now() where id in (select id from orders where status = 'PAID' and updated_at < now() - interval '5 minutes' order by updated_at limit 200 for update skip locked) and status = 'PAID' returning id
-- name: reconciler: stalled DELIVERING
update orders set status = 'DELIVERY_UNKNOWN', updated_at = now(), failure_reason = 'x' where status = 'DELIVERING' and updated_at < now() - interval '10 minutes'
-- name: unknown-resolver: orders to settle
select o.id, o.recipient_id, o.months, cast(extract(epoch from coalesce(max(a.started_at), o.updated_at)) * 1000 as bigint) from orders o left join delivery_attempts a on a.order_id = o.id where o.status = 'DELIVERY_UNKNOWN' and o.updated_at < now() - interval '10 minutes' group by o.id order by o.updated_at limit 50
-- name: unknown-resolver: delivered since (per order)
select count(*) from orders where status = 'DELIVERED' and recipient_id = 5000000077 and months = 3 and delivered_at >= now() - interval '1 day'
-- name: TRC20 settle: payer by address
select user_id from payments where provider = 'TRC20' and from_address = 'TXsenderAddress' and user_id is not null order by occurred_at desc limit 1
-- name: prune processed_updates: one batch of 5,000
delete from processed_updates where update_id in (select update_id from processed_updates where received_at < now() - interval '48 hours' order by received_at limit 5000 for update skip locked)
-- name: webhook: claim an update_id
insert into processed_updates (update_id, received_at) values (999999999999, now()) on conflict do nothing
-- name: webhook: upsert the user
insert into users (telegram_id, username, first_name, language_code) values (5000000123, 'g123', 'G', 'en') on conflict (telegram_id) do update set username = excluded.username, updated_at = now()
-- name: operator: order search, newest first
select * from orders order by created_at desc, id limit 50
-- name: operator: order search by status
select * from orders where status = 'REFUNDED' order by created_at desc, id limit 50
-- name: operator: order search by user (buyer or recipient)
select * from orders where (buyer_id = 5000000077 or recipient_id = 5000000077) order by created_at desc, id limit 50
-- name: operator: order detail, its ledger entries
select * from ledger_entries where reference = 'G00000123456' order by id
-- name: operator: a user's ledger page
select * from ledger_entries where user_id = 5000000077 order by id desc limit 100
