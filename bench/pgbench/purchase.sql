-- A wallet purchase as api-service's WalletPurchase runs it (migration V26): BEGIN and wallet_purchase_open (claim the
-- update_id, register and lock the buyer reading balance / price / remembered promo code), then wallet_purchase_pay
-- (the order, inserted PAID with its debit and ledger entry — V6's triggers check the chain at commit —, the kept
-- reply, the Star treasury's gate: with plenty of Stars a shared turn, near the end the treasury row until commit) and
-- COMMIT; one transaction. The code sends each pair in one flush (two round trips); pgbench sends the second pair as a
-- pipeline too (the gate's turn is held from the gate to the commit, so a round trip between them would halve what
-- both can do), and the first pair as two round trips (\gset is not allowed in a pipeline).
-- (\gset keeps the balance batch 1 read, from which the code computes the balance after the debit.)
-- The buyers are the benchmark's funded customers (-D first=<id> -D count=<n>); pgbench -M prepared, as the code's
-- statements are prepared once per connection. No colon inside a literal: pgbench reads ':name' there as a variable.
\set uid random(1, 9000000000000000)
\set buyer :first + random(0, :count - 1)
\set oid random(1, 99999999999)
begin;
select o_balance - 13990000 as after from wallet_purchase_open(:uid, :buyer, 'pgbench', 'pgbench', 'en', 3, null, :buyer, false) \gset
\startpipeline
select wallet_purchase_pay(:uid, 'p' || cast(:oid as text), :buyer, :buyer, null, 3, 1000, 13990000,
    :after, now() + interval '30 minutes', now(), null,
    'order-payment' || chr(58) || 'p' || cast(:oid as text),
    '{"method":"sendMessage","chat_id":7000000000,"text":"Order XXXXXXXX is paid: 3 months of Premium for you, 13.99 USDT taken from your wallet (balance now 4986.01 USDT). The gift is on its way; I will tell you when it arrives."}',
    0, 5000, 50);
commit;
\endpipeline
