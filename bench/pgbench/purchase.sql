-- A wallet purchase's durable statements, as api-service's WalletPurchase issues them (keep the two in step): claim
-- the update_id, register and lock the buyer reading balance / price / remembered promo code, create the order, debit
-- with its ledger entry (the V6 triggers check the chain), PENDING_PAYMENT -> PAID, the Star treasury's cover check
-- (V20, locks the treasury row until commit), keep the reply; one transaction.
-- The buyers are the benchmark's funded customers (-D first=<id> -D count=<n>); pgbench -M prepared, as the code's
-- statements are prepared once per connection. No colon inside a literal: pgbench reads ':name' there as a variable.
\set uid random(1, 9000000000000000)
\set buyer :first + random(0, :count - 1)
\set oid random(1, 99999999999)
begin;
insert into processed_updates (update_id, received_at) values (:uid, now()) on conflict do nothing;
insert into users (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
  values (:buyer, 'pgbench', 'pgbench', 'en', 0, now(), now())
  on conflict (telegram_id) do update set username = excluded.username, first_name = excluded.first_name,
     language_code = excluded.language_code, updated_at = now()
  returning balance_micros, (select p.price_micros from prices p where p.months = 3),
            exists (select 1 from promo_applied a where a.customer_id = :buyer);
insert into orders (id, buyer_id, recipient_id, recipient_username, months, star_count, price_micros, discount_micros,
                    discount_stars, status, expires_at, created_at, updated_at, confirmation_id)
  values ('p' || cast(:oid as text), :buyer, :buyer, null, 3, 1000, 13990000, 0, 0, 'PENDING_PAYMENT', now() + interval '30 minutes',
          now(), now(), null);
with moved as (
    update users set balance_micros = balance_micros - 13990000, updated_at = now()
    where telegram_id = :buyer and balance_micros >= 13990000
    returning balance_micros)
insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key, created_at)
  select cast(:buyer as bigint), -13990000, balance_micros, 'ORDER_PAYMENT', 'p' || cast(:oid as text), 'order-payment' || chr(58) || 'p' || cast(:oid as text), now() from moved
  returning balance_after_micros;
update orders set status = 'PAID', pay_method = 'WALLET', paid_at = now(), updated_at = now()
  where id = 'p' || cast(:oid as text) and status = 'PENDING_PAYMENT';
select star_treasury_take('p' || cast(:oid as text), 0, 5000, 50);
update processed_updates set reply = '{"method":"sendMessage","chat_id":7000000000,"text":"Order XXXXXXXX is paid: 3 months of Premium for you, 13.99 USDT taken from your wallet (balance now 4986.01 USDT). The gift is on its way; I will tell you when it arrives."}'
  where update_id = :uid;
commit;
