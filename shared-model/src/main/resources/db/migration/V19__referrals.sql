-- Referrals: a customer who came through another's link (/start r<id>) has that referrer, once: never themselves,
-- never a second one (the primary key), never after their first paid order (checked when it is recorded).
create table referrals (
    customer_id  bigint       primary key references users (telegram_id),
    referrer_id  bigint       not null references users (telegram_id),
    created_at   timestamptz  not null default now(),
    constraint referrals_not_oneself check (customer_id <> referrer_id)
);
create index referrals_referrer on referrals (referrer_id, created_at desc);

-- What a referred customer's delivered order owes its referrer, written by the transaction that delivers it (whoever
-- that is: the worker's delivery, a reconciliation, the operator), once per order (the primary key). The worker
-- settles it: CREDITED (a REFERRAL ledger entry keyed by the order), CAPPED (the referrer's monthly cap reached:
-- credited the part that fitted, possibly nothing), OFF (referrals were off when it was settled). Only orders paid in
-- USDT (wallet or on-chain) owe one; DELIVERED is final, so no refunded or failed order ever does.
create table referral_rewards (
    order_id       varchar(12)  primary key references orders (id),
    referrer_id    bigint       not null references users (telegram_id),
    customer_id    bigint       not null references users (telegram_id),
    paid_micros    bigint       not null constraint referral_rewards_paid_positive check (paid_micros > 0),
    status         varchar(16)  not null default 'PENDING'
                       constraint referral_rewards_status_valid check (status in ('PENDING', 'CREDITED', 'CAPPED', 'OFF')),
    amount_micros  bigint       not null default 0 constraint referral_rewards_amount_not_negative check (amount_micros >= 0),
    created_at     timestamptz  not null default now(),
    settled_at     timestamptz,
    constraint referral_rewards_settled check ((status = 'PENDING') = (settled_at is null))
);
create index referral_rewards_pending on referral_rewards (created_at) where status = 'PENDING';
create index referral_rewards_referrer on referral_rewards (referrer_id, settled_at);

create function referral_rewards_owed() returns trigger language plpgsql as $$
begin
    insert into referral_rewards (order_id, referrer_id, customer_id, paid_micros)
    select new.id, r.referrer_id, new.buyer_id, new.price_micros
    from referrals r where r.customer_id = new.buyer_id
    on conflict (order_id) do nothing;
    return null;
end $$;

create trigger orders_referral_rewards after update of status on orders
    for each row when (new.status = 'DELIVERED' and old.status is distinct from new.status
                       and new.pay_method in ('WALLET', 'TRC20'))
    execute function referral_rewards_owed();
