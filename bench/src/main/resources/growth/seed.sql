-- A year of history in bulk: :users users, :ledger ledger entries, :orders orders, :updates processed updates,
-- :users payments (+1 % unmatched) and :orders/30 audit entries.
-- Needs :ledger ≤ 20·:users (balances stay ≥ 0). Runs as a superuser: triggers (foreign keys, totals) are off while loading; the totals are rebuilt at the end,
-- as V7's migration builds them on an existing database. Every user's balance equals the sum of their entries.
\set ON_ERROR_STOP on
set session_replication_role = replica;
set synchronous_commit = off;
set maintenance_work_mem = '256MB';

-- seeded ids live far from the benchmarks' own users (7e9…, 8e9…) and update ids
insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
select 5000000000 + n, 'g' || n, 'Grown ' || n, case when n % 5 = 0 then 'zh' else 'en' end,
       100000000 - 5000000 * ((:ledger - n) / :users),
       now() - interval '365 days' + (n % 31536000) * interval '1 second', now() - (n % 86400) * interval '1 second'
from generate_series(1, :users) n;

-- entry k of user u is n = u + (k-1)·users: a DEPOSIT of 100 USDT first, then ORDER_PAYMENTs of 5 USDT
insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key, created_at)
select 5000000000 + 1 + (n - 1) % :users,
       case when (n - 1) / :users = 0 then 100000000 else -5000000 end,
       100000000 - 5000000 * ((n - 1) / :users),
       case when (n - 1) / :users = 0 then 'DEPOSIT' else 'ORDER_PAYMENT' end,
       'G' || lpad(n::text, 11, '0'),
       'seed:' || n,
       now() - interval '365 days' + n * (interval '365 days' / :ledger)
from generate_series(1, :ledger) n;

insert into orders (id, buyer_id, recipient_id, recipient_username, months, star_count, price_micros, pay_method,
                    status, created_at, updated_at, paid_at, delivered_at)
select 'G' || lpad(n::text, 11, '0'), 5000000000 + 1 + (n - 1) % :users,
       case when n % 4 = 0 then 5000000000 + 1 + (n * 7) % :users else 5000000000 + 1 + (n - 1) % :users end,
       null, 3, 1000, 5000000, 'WALLET',
       case when n % 50 = 0 then 'EXPIRED' when n % 97 = 0 then 'REFUNDED' else 'DELIVERED' end,
       now() - interval '365 days' + n * (interval '365 days' / :orders),
       now() - interval '365 days' + n * (interval '365 days' / :orders) + interval '3 seconds',
       now() - interval '365 days' + n * (interval '365 days' / :orders),
       now() - interval '365 days' + n * (interval '365 days' / :orders) + interval '3 seconds'
from generate_series(1, :orders) n;

insert into delivery_attempts (order_id, attempt, worker_id, started_at, finished_at, outcome)
select id, 1, 'seed', created_at, updated_at, 'DELIVERED' from orders where status = 'DELIVERED' and id like 'G%';

-- a year of webhook updates, the newest a second ago (pruning has the whole backlog before it)
insert into processed_updates (update_id, received_at)
select 100000000000 + n, now() - interval '365 days' + n * (interval '365 days' / :updates)
from generate_series(1, :updates) n;

-- payments: each user's first deposit came as a TRC20 transfer from their own address; 1 in 100 more is unmatched
insert into payments (provider, external_id, currency, amount_micros, from_address, user_id, status, occurred_at, created_at)
select 'TRC20', 'seed:' || n, 'USDT', 100000000, 'TGrown' || lpad(n::text, 28, '0'), 5000000000 + n, 'CREDITED',
       now() - interval '365 days' + n * (interval '365 days' / :users), now() - interval '365 days' + n * (interval '365 days' / :users)
from generate_series(1, :users) n;
insert into payments (provider, external_id, currency, amount_micros, from_address, user_id, status, occurred_at, created_at)
select 'TRC20', 'seed-unmatched:' || n, 'USDT', 7000000 + n, 'TStranger' || lpad(n::text, 25, '0'), null, 'UNMATCHED',
       now() - interval '365 days' + n * 100 * (interval '365 days' / :users), now() - interval '365 days' + n * 100 * (interval '365 days' / :users)
from generate_series(1, :users / 100) n;

-- the operators' audit log: one action per 30 orders, on an order or a wallet, by one of five operators
insert into audit_log (action, target, actor, remote_address, details, created_at)
select case when n % 3 = 0 then 'wallet.adjust' else 'order.retry' end,
       case when n % 3 = 0 then 'user:' || (5000000000 + 1 + (n * 30 - 1) % :users) else 'order:G' || lpad((n * 30)::text, 11, '0') end,
       'op' || (n % 5), '127.0.0.1', 'seed',
       now() - interval '365 days' + n * 30 * (interval '365 days' / :orders)
from generate_series(1, :orders / 30) n;

set session_replication_role = origin;
truncate ledger_totals, order_status_counts;
insert into ledger_totals (reason, stripe, amount_micros, entries)
select reason, 0, sum(amount_micros), count(*) from ledger_entries group by reason;
insert into order_status_counts (status, stripe, orders) select status, 0, count(*) from orders group by status;
update ledger_drift_state set checked_up_to = (select coalesce(max(id), 0) from ledger_entries), full_at = now();
vacuum analyze;
