-- One statement per tick of each periodic job and per operator call, as the services issue them (parameters
-- filled with typical values, rows that exist at every GROWTH_SCALE; :ledger_top is the database's highest ledger
-- entry id). "(before)" rows are the statement a change replaced, kept for the comparison. Each block: a "-- name: <what>" line, then the statement up to the next block.
-- name: gauges: orders by status from order_status_counts
select status, sum(orders)::bigint from order_status_counts group by status
-- name: gauges: ledger by reason from ledger_totals
select reason, sum(amount_micros)::bigint from ledger_totals group by reason
-- name: gauges: drift list
select count(*), coalesce(sum(abs(drift_micros)), 0)::bigint from ledger_drift
-- name: gauges: incremental drift check (1,000 new entries + 1,000 overlap)
with new_entries as (select e.user_id, e.balance_after_micros <> coalesce((select p.balance_after_micros from ledger_entries p where p.user_id = e.user_id and p.id < e.id order by p.id desc limit 1), 0) + e.amount_micros as breaks_chain from ledger_entries e where e.id > greatest(0, :ledger_top - 2000) and e.id <= :ledger_top), suspects as (select user_id, bool_or(recount) as recount from (select user_id, breaks_chain as recount from new_entries union all select user_id, true from ledger_drift) s group by user_id), drift as (select s.user_id, coalesce(u.balance_micros, 0) - case when s.recount then coalesce((select sum(amount_micros) from ledger_entries e where e.user_id = s.user_id), 0) else coalesce((select l.balance_after_micros from ledger_entries l where l.user_id = s.user_id order by l.id desc limit 1), 0) end as micros from suspects s left join users u on u.telegram_id = s.user_id), cleared as (delete from ledger_drift d using drift where d.user_id = drift.user_id and drift.micros = 0), found as (insert into ledger_drift (user_id, drift_micros) select user_id, micros from drift where micros <> 0 on conflict (user_id) do update set drift_micros = excluded.drift_micros, found_at = now()) update ledger_drift_state set checked_up_to = greatest(checked_up_to, :ledger_top), incremental_at = now() where id = 1
-- name: gauges (before): incremental drift check summing each changed user's whole ledger
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
select user_id from payments where provider = 'TRC20' and from_address = 'TGrown0000000000000000000000000077' and user_id is not null order by occurred_at desc limit 1
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
-- name: operator (before): order search by user, buyer or recipient in one statement
select * from orders where (buyer_id = 5000000077 or recipient_id = 5000000077) order by created_at desc, id limit 50
-- name: operator: order search by user, as buyer (a page)
select * from orders where buyer_id = 5000000077 order by created_at desc, id limit 50
-- name: operator: order search by user, as recipient (a page)
select * from orders where recipient_id = 5000000077 order by created_at desc, id limit 50
-- name: operator: order detail, its delivery attempts
select * from delivery_attempts where order_id = 'G00000000777' order by attempt
-- name: operator: order detail, its ledger entries
select * from ledger_entries where reference = 'G00000000777' order by id
-- name: operator: a user's ledger page
select * from ledger_entries where user_id = 5000000077 order by id desc limit 100
-- name: operator: users by @username prefix, most recently seen first
select * from users where lower(username) like 'g1234%' escape '\' order by updated_at desc limit 50
-- name: operator: audit log, newest first
select * from audit_log order by created_at desc, id desc limit 100
-- name: operator: audit log of one target
select * from audit_log where target = 'user:5000000090' order by created_at desc, id desc limit 100
-- name: operator: audit log of one operator
select * from audit_log where actor = 'op3' order by created_at desc, id desc limit 100
-- name: operator: unmatched payments, newest first
select * from payments where status = 'UNMATCHED' order by created_at desc limit 100
-- name: sales: orders paid in 30 days, per day, plan and currency
select (paid_at at time zone 'UTC')::date as day, months, pay_method = 'STARS' as stars, count(*) as orders, sum(case when pay_method = 'STARS' then star_count - discount_stars else price_micros end)::bigint as revenue, sum(case when pay_method = 'STARS' then discount_stars else discount_micros end)::bigint as discount from orders where paid_at >= now() - interval '30 days' and paid_at < now() and status <> 'REFUNDED' group by 1, 2, 3
-- name: sales: orders delivered in 30 days, per day, plan and currency
select (delivered_at at time zone 'UTC')::date as day, months, pay_method = 'STARS' as stars, count(*) as orders, sum(star_count)::bigint as gift_stars, sum(case when pay_method = 'STARS' then star_count - discount_stars else price_micros end)::bigint as revenue from orders where delivered_at >= now() - interval '30 days' and delivered_at < now() and status = 'DELIVERED' group by 1, 2, 3
-- name: sales: referral rewards in 30 days, per day
select (created_at at time zone 'UTC')::date as day, sum(amount_micros)::bigint as micros from ledger_entries where reason = 'REFERRAL' and created_at >= now() - interval '30 days' and created_at < now() group by 1
-- name: sales: the funnel of 30 days' confirmations
select count(*) as shown, count(o.paid_at) as paid, count(*) filter (where o.status = 'DELIVERED') as delivered from purchase_confirmations c left join orders o on o.confirmation_id = c.id and o.created_at >= now() - interval '30 days' where c.created_at >= now() - interval '30 days' and c.created_at < now()
