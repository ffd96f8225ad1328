-- How far the TRC20 poller has read each receive address: the block_timestamp (ms) up to which every
-- confirmed incoming transfer has been processed. The next poll reads again from a little before it;
-- the unique (provider, external_id) of payments makes that overlap harmless.
create table trc20_cursor (
    address               varchar(64)  primary key,
    last_block_timestamp  bigint       not null constraint trc20_cursor_not_negative check (last_block_timestamp >= 0),
    updated_at            timestamptz  not null default now()
);

-- the payer of an unmatched transfer is guessed from the address it paid from before
create index payments_from_address on payments (provider, from_address, occurred_at desc) where user_id is not null;
-- late payments: requests by amount whatever their status
create index payment_requests_amount on payment_requests (amount_micros, created_at desc);
