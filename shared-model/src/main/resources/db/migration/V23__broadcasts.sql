-- Broadcasts: an announcement the operator writes (one text per language the bot speaks), previews in their own
-- Telegram, and sends to an audience. Starting one materialises its recipients as broadcast_messages in the same
-- transaction; the worker sends them from the Telegram budget gifts and notifications leave. Each message is sent at
-- most once: the unique (broadcast, customer) pair, and a state that leaves PENDING for SENDING before the call and
-- never comes back from an answer (a SENDING row whose worker died becomes UNKNOWN, never sent again).

-- Telegram answered 403 to a message (the customer blocked the bot): skipped by broadcasts and notifications until the
-- customer writes to the bot again. /stop: the customer wants no announcements (/news takes it back).
alter table users add column bot_blocked_at timestamptz;
alter table users add column announcements_off_at timestamptz;

create table broadcasts (
    id            bigserial     primary key,
    -- {"en": "...", "zh": "..."}: a text for every language the bot speaks (checked by the service when written)
    texts         jsonb         not null constraint broadcasts_texts_object check (jsonb_typeof(texts) = 'object'),
    audience      varchar(16)   not null constraint broadcasts_audience_valid check (audience in ('ALL', 'BUYERS', 'LAPSED')),
    lapsed_days   integer,
    status        varchar(16)   not null default 'DRAFT'
                      constraint broadcasts_status_valid check (status in ('DRAFT', 'SENDING', 'DONE', 'CANCELLED')),
    previewed_at  timestamptz,
    recipients    integer       constraint broadcasts_recipients_not_negative check (recipients >= 0),
    created_by    varchar(128)  not null,
    created_at    timestamptz   not null default now(),
    started_by    varchar(128),
    started_at    timestamptz,
    finished_at   timestamptz,
    constraint broadcasts_lapsed_days check ((audience = 'LAPSED') = (lapsed_days is not null) and coalesce(lapsed_days, 1) between 1 and 3650),
    -- nobody is sent an announcement the operator hasn't seen in their own Telegram first
    constraint broadcasts_started_after_preview check (started_at is null or previewed_at is not null),
    constraint broadcasts_started check (status = 'CANCELLED' or (status = 'DRAFT') = (started_at is null)),
    constraint broadcasts_finished check ((status in ('DONE', 'CANCELLED')) = (finished_at is not null))
);

create table broadcast_messages (
    id            bigserial     primary key,
    broadcast_id  bigint        not null references broadcasts (id),
    chat_id       bigint        not null references users (telegram_id),
    -- the language of the text this customer gets, fixed when the broadcast starts
    language      varchar(8)    not null,
    state         varchar(12)   not null default 'PENDING' constraint broadcast_messages_state_valid check (state in
                                    ('PENDING', 'SENDING', 'SENT', 'BLOCKED', 'FAILED', 'UNKNOWN', 'SKIPPED', 'CANCELLED')),
    -- a sender's claim on a PENDING row while it waits for the budget; lapses if that sender dies
    claimed_by    varchar(128),
    lease_until   timestamptz,
    sending_at    timestamptz,
    settled_at    timestamptz,
    constraint broadcast_messages_once unique (broadcast_id, chat_id),
    constraint broadcast_messages_sending_stamped check (state in ('PENDING', 'SKIPPED', 'CANCELLED') or sending_at is not null),
    constraint broadcast_messages_settled check ((state in ('PENDING', 'SENDING')) = (settled_at is null))
);
create index broadcast_messages_pending on broadcast_messages (broadcast_id, id) where state = 'PENDING';
create index broadcast_messages_sending on broadcast_messages (sending_at) where state = 'SENDING';

-- A message's state moves forward only: PENDING to SENDING (or SKIPPED: the customer blocked the bot or opted out since
-- the start; or CANCELLED), SENDING to an outcome, or back to PENDING
-- only when the sender knows the request was never written (no budget, connection refused). A settled row never moves.
create function broadcast_messages_forward_only() returns trigger language plpgsql as $$
begin
    if old.state = new.state then
        if old.state <> 'PENDING' and (new.sending_at is distinct from old.sending_at) then
            raise exception 'broadcast message % was stamped sending already', old.id;
        end if;
        return new;
    end if;
    if (old.state = 'PENDING' and new.state in ('SENDING', 'SKIPPED', 'CANCELLED'))
       or (old.state = 'SENDING' and new.state in ('PENDING', 'SENT', 'BLOCKED', 'FAILED', 'UNKNOWN')) then
        return new;
    end if;
    raise exception 'broadcast message % cannot go from % to %', old.id, old.state, new.state;
end $$;

create trigger broadcast_messages_forward_only before update on broadcast_messages
    for each row execute function broadcast_messages_forward_only();
