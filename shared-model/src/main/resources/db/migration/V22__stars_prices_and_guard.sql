-- The customer's Stars price per plan, set by the operator (until now it was Telegram's gift cost, so Stars sales
-- earned nothing). The gift cost stays Telegram's (orders.star_count, Months in code): it is what the bot pays.
alter table prices add column star_price integer
    constraint prices_star_price_valid check (star_price between 1 and 100000);
update prices set star_price = case months when 3 then 1000 when 6 then 1500 when 12 then 2500 end;
alter table prices alter column star_price set not null;

-- What the customer is charged in Stars for an order (its Stars list price less a promo code's discount_stars); null
-- on orders made before this migration, which charged star_count - discount_stars. A Stars refund returns exactly it.
alter table orders add column star_price integer constraint orders_star_price_positive check (star_price > 0);

-- Chargeback guard: the first Stars order of a buyer without a delivered order waits until then before its gift
-- (gift_not_before holds the same instant, which the worker's claim honours); kept apart so the operator sees why.
alter table orders add column delivery_held_until timestamptz;
create index orders_held on orders (delivery_held_until) where delivery_held_until is not null and status = 'PAID';

-- When a Stars checkout of this order was approved (pre_checkout_query answered ok): the guard's daily limit counts an
-- approved order not yet paid, so two checkouts racing can't both slip under it.
alter table orders add column checkout_approved_at timestamptz;

-- A confirmation keeps the Stars list price it was shown (null on older ones: Telegram's gift cost), beside the Stars
-- price it charges (star_count; now always set), so an operator's change after it was shown changes nothing it charges.
alter table purchase_confirmations add column star_list_price integer
    constraint purchase_confirmations_star_list_positive check (star_list_price > 0);
alter table purchase_confirmations add constraint purchase_confirmations_stars_within_list
    check (star_count is null or star_list_price is null or star_count <= star_list_price);

-- the guard's daily sum: a buyer's Stars orders paid in the last day
create index orders_buyer_stars_paid on orders (buyer_id, paid_at) where pay_method = 'STARS';
