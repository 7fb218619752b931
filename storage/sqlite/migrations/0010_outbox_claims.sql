-- Claims on the outbox (storage/sqlite/claims.py): a sender claims a chat's head item (its
-- oldest deliverable alert or digest part) until `claimed_until` (unix time); marking the
-- item ends the claim, and a claim whose lease ran out is anyone's again. One claim per
-- chat at a time, so one chat never gets two sends at once and keeps its order.
ALTER TABLE alert_chats ADD COLUMN claimed_by TEXT;
ALTER TABLE alert_chats ADD COLUMN claimed_until REAL;
ALTER TABLE alert_chats ADD COLUMN claimed_kind TEXT;  -- storage.types.Delivery: 'alert' | 'digest'
ALTER TABLE alert_chats ADD COLUMN claimed_id INTEGER;
CREATE INDEX alert_chats_claimed ON alert_chats (claimed_id) WHERE claimed_id IS NOT NULL;
