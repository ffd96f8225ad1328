-- A purchase paid from the wallet (api-service orders/WalletPurchase) as two functions, each one round trip:
--
--   BEGIN; select * from wallet_purchase_open(...)      -- pipelined together
--   (the caller decides from the answer: price, balance, what its reply will say)
--   select wallet_purchase_pay(...); COMMIT             -- pipelined together
--
-- wallet_purchase_pay raises on anything that isn't what wallet_purchase_open promised, and on Stars that don't cover
-- the gift, so the COMMIT sent behind it ends a failed transaction (PostgreSQL answers it with ROLLBACK) and nothing
-- the purchase wrote remains: the caller never needs a round trip between the gate and the commit, which is the span
-- the treasury lock is held. The statements are the general path's (OrderService, Wallet, Ledger, Confirmations,
-- StarSupply) — but for the order, which is inserted PAID with its debit instead of inserted PENDING_PAYMENT and
-- updated —, and PostgreSQL's own guards still apply: the CHECKs, V6's ledger triggers at commit, the unique keys.
--
-- SQLSTATEs raised here: PB001 the Stars don't cover the gift (sold out: the caller lets the general path refuse the
-- purchase, nothing charged); PB002 a write that the locked balance or the fresh order promised did not happen (a
-- broken rule: nothing commits, the caller fails the update).

-- A customer who writes: registered, or their name and language brought up to date (and no longer blocked: they
-- wrote), and their row locked until commit — their purchases take turns, as PayAmounts.lockCustomer makes them on
-- the general path; their balance, and whether a promo code is remembered for them (the general path quotes those).
create function buyer_seen(p_buyer bigint, p_username varchar, p_first_name varchar, p_language varchar,
        out o_balance bigint, out o_promo_remembered boolean)
    language plpgsql as $$
begin
    insert into users as u (telegram_id, username, first_name, language_code, balance_micros, created_at, updated_at)
    values (p_buyer, p_username, p_first_name, p_language, 0, now(), now())
    on conflict (telegram_id) do update
       set username = excluded.username, first_name = excluded.first_name,
           language_code = excluded.language_code, updated_at = now(), bot_blocked_at = null
    returning u.balance_micros, exists (select 1 from promo_applied a where a.customer_id = p_buyer)
         into o_balance, o_promo_remembered;
end $$;

create function wallet_purchase_open(
        p_update bigint, p_buyer bigint, p_username varchar, p_first_name varchar, p_language varchar,
        p_months integer, p_confirmation bigint, p_recipient bigint, p_by_username boolean,
        out o_claimed boolean, out o_balance bigint, out o_list_price bigint, out o_promo_remembered boolean,
        out o_confirmed boolean, out o_confirmed_price bigint, out o_confirmed_recipient_username varchar,
        out o_confirmed_promo_code bigint)
    language plpgsql as $$
begin
    -- the update is claimed once: a replay (not claimed) changes nothing and the caller answers it the general way
    insert into processed_updates (update_id, received_at) values (p_update, now()) on conflict do nothing;
    o_claimed := found;
    if not o_claimed then
        return;
    end if;
    select b.o_balance, b.o_promo_remembered into o_balance, o_promo_remembered
      from buyer_seen(p_buyer, p_username, p_first_name, p_language) b;
    select p.price_micros into o_list_price from prices p where p.months = p_months;
    o_confirmed := false;
    if p_confirmation is not null then
        -- Confirmations.USE: the price it showed, once, for this buyer, months and recipient, while it stands
        update purchase_confirmations c set used_at = now()
         where c.id = p_confirmation and c.buyer_id = p_buyer and c.months = p_months
           and c.recipient_id = p_recipient and c.by_username = p_by_username
           and c.used_at is null and c.cancelled_at is null and c.expires_at > now()
        returning c.price_micros, c.recipient_username, c.promo_code_id
             into o_confirmed_price, o_confirmed_recipient_username, o_confirmed_promo_code;
        o_confirmed := found;
    end if;
end $$;

-- An order inserted already paid (only wallet_purchase_pay does) is counted in the sales totals as the transition
-- to PAID counts one (V24's function reads an INSERT's missing old row as "not paid before").
create trigger orders_sales_totals_born_paid after insert on orders
    for each row when (new.status = 'PAID' and new.paid_at is not null) execute function sales_totals_move();

create function wallet_purchase_pay(
        p_update bigint, p_order varchar, p_buyer bigint, p_recipient bigint, p_recipient_username varchar,
        p_months integer, p_star_count integer, p_price bigint, p_balance_after bigint, p_expires_at timestamptz,
        p_at timestamptz, p_confirmation bigint, p_ledger_key varchar, p_reply text,
        p_margin bigint, p_per_customer bigint, p_share_percent integer)
    returns void language plpgsql as $$
declare
    after_debit bigint;
begin
    -- Ledger's balance change and its entry in one statement; V6's triggers check the chain at commit. First, as on the
    -- general path (the debit, then the order's move to PAID): the counter rows each takes (V7's ledger totals, then the
    -- status counts, V24's sales totals, V25's Star slot) are then locked in the same order by both paths, so two
    -- purchases whose backends share a stripe wait for each other instead of deadlocking
    with moved as (
        update users set balance_micros = balance_micros - p_price, updated_at = now()
         where telegram_id = p_buyer and balance_micros >= p_price
        returning balance_micros)
    insert into ledger_entries (user_id, amount_micros, balance_after_micros, reason, reference, idempotency_key,
                                created_at)
    select p_buyer, -p_price, m.balance_micros, 'ORDER_PAYMENT', p_order, p_ledger_key, now() from moved m
    returning balance_after_micros into after_debit;
    if after_debit is null or after_debit <> p_balance_after then
        raise exception 'wallet purchase of order %: the debit left % where the locked balance promised %',
            p_order, after_debit, p_balance_after using errcode = 'PB002';
    end if;
    -- the order is born PAID: it exists only with its debit, in this transaction (no PENDING_PAYMENT row version, and
    -- none of the order's indexes written twice); its promise, status and sales counts follow by the V24/V25 triggers
    insert into orders (id, buyer_id, recipient_id, recipient_username, months, star_count, price_micros,
                        discount_micros, discount_stars, status, pay_method, paid_at, expires_at, created_at,
                        updated_at, confirmation_id)
    values (p_order, p_buyer, p_recipient, p_recipient_username, p_months, p_star_count, p_price,
            0, 0, 'PAID', 'WALLET', p_at, p_expires_at, p_at, p_at, p_confirmation);
    -- the reply kept for a replay, with its claim
    update processed_updates set reply = p_reply where update_id = p_update;
    if not found then
        raise exception 'wallet purchase of order %: update % not claimed', p_order, p_update using errcode = 'PB002';
    end if;
    -- last: the treasury lock it takes is held from here to the commit pipelined behind this call
    if star_treasury_take(p_order, p_margin, p_per_customer, p_share_percent) = 'SOLD_OUT' then
        raise exception 'wallet purchase of order %: the Stars do not cover its gift', p_order using errcode = 'PB001';
    end if;
end $$;

-- The first step of the button flow, shown as fast: "Buy N months for …" pressed, answered with a confirmation (the
-- price it shows, once) — api-service bot/QuickConfirmations, two round trips like the purchase:
--   BEGIN; select * from confirmation_open(...)     -- claim, register and lock the buyer, record the confirmation
--   select confirmation_keep_reply(...); COMMIT      -- the reply that names it, kept for a replay
-- A replay, a remembered promo code (its discount is the general path's to quote) or a month with no price: nothing is
-- recorded (o_confirmation null) and the caller rolls back and answers the general way.
create function confirmation_open(
        p_update bigint, p_buyer bigint, p_username varchar, p_first_name varchar, p_language varchar,
        p_months integer, p_recipient bigint, p_recipient_username varchar, p_expires_at timestamptz,
        out o_claimed boolean, out o_balance bigint, out o_confirmation bigint, out o_price bigint,
        out o_star_price integer)
    language plpgsql as $$
declare
    promo_remembered boolean;
begin
    insert into processed_updates (update_id, received_at) values (p_update, now()) on conflict do nothing;
    o_claimed := found;
    if not o_claimed then
        return;
    end if;
    select b.o_balance, b.o_promo_remembered into o_balance, promo_remembered
      from buyer_seen(p_buyer, p_username, p_first_name, p_language) b;
    select p.price_micros, p.star_price into o_price, o_star_price from prices p where p.months = p_months;
    if promo_remembered or o_price is null or o_star_price is null then
        return;
    end if;
    -- Confirmations.CREATE at the list prices: no code, no discount
    insert into purchase_confirmations
        (buyer_id, recipient_id, recipient_username, months, price_micros, expires_at, by_username,
         promo_code_id, discount_micros, star_count, star_list_price)
    values (p_buyer, p_recipient, p_recipient_username, p_months, o_price, p_expires_at, false,
            null, 0, o_star_price, o_star_price)
    returning id into o_confirmation;
end $$;

create function confirmation_keep_reply(p_update bigint, p_reply text) returns void language plpgsql as $$
begin
    update processed_updates set reply = p_reply where update_id = p_update;
    if not found then
        raise exception 'confirmation of update %: not claimed', p_update using errcode = 'PB002';
    end if;
end $$;
