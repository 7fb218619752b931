-- Any number of senders on one store (storage/postgres/claims.py, pace.py).
--
-- Claims: a sender claims a chat's head item (its oldest deliverable alert or digest part)
-- until `claimed_until` (unix time by the database's clock); marking the item ends the claim,
-- and a claim whose lease ran out is anyone's again. The chat row is what is claimed (locked
-- FOR UPDATE SKIP LOCKED while claiming), so one chat never has two items out at once.
ALTER TABLE alert_chats ADD COLUMN claimed_by TEXT;
ALTER TABLE alert_chats ADD COLUMN claimed_until DOUBLE PRECISION;
ALTER TABLE alert_chats ADD COLUMN claimed_kind TEXT;  -- storage.types.Delivery: 'alert' | 'digest'
ALTER TABLE alert_chats ADD COLUMN claimed_id BIGINT;
CREATE INDEX alert_chats_claimed ON alert_chats (claimed_id) WHERE claimed_id IS NOT NULL;

-- The one send limiter of every process (GCRA, "virtual scheduling"): `tat` is the earliest
-- unix time (database clock) of the next send overall (key '*') or to one chat ('chat:<id>').
CREATE TABLE send_pace (
    key TEXT PRIMARY KEY,
    tat DOUBLE PRECISION NOT NULL
);
INSERT INTO send_pace (key, tat) VALUES ('*', 0);

-- Reserve a send: the slot t = max(now, overall tat, chat tat); the overall tat moves to
-- t + overall_interval, the chat's to t + chat_interval. Returns t - now: how long to wait.
-- Rows are locked overall first, then the chat: every caller in one order.
CREATE FUNCTION reserve_send(chat_key TEXT, chat_interval DOUBLE PRECISION,
                             overall_interval DOUBLE PRECISION) RETURNS DOUBLE PRECISION
LANGUAGE plpgsql AS $$
DECLARE
    overall DOUBLE PRECISION;
    own DOUBLE PRECISION := 0;
    now_s DOUBLE PRECISION;
    slot DOUBLE PRECISION;
BEGIN
    SELECT tat INTO overall FROM send_pace WHERE key = '*' FOR UPDATE;
    IF chat_key IS NOT NULL THEN
        INSERT INTO send_pace (key, tat) VALUES (chat_key, 0) ON CONFLICT (key) DO NOTHING;
        SELECT tat INTO own FROM send_pace WHERE key = chat_key FOR UPDATE;
    END IF;
    now_s := extract(epoch FROM clock_timestamp());  -- after the locks: waiting for them counts
    slot := greatest(now_s, overall, own);
    UPDATE send_pace SET tat = slot + overall_interval WHERE key = '*';
    IF chat_key IS NOT NULL THEN
        UPDATE send_pace SET tat = slot + chat_interval WHERE key = chat_key;
    END IF;
    IF random() < 0.001 THEN  -- now and then, forget chats not sent to for a minute
        DELETE FROM send_pace WHERE key <> '*' AND tat < now_s - 60;
    END IF;
    RETURN slot - now_s;
END $$;
