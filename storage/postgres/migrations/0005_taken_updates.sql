-- Telegram updates the processes on this database have taken (storage/postgres/updates.py):
-- the first process to record an update's id handles it, any copy handed out again (to a
-- second poller, after a restart, a webhook retry) is skipped. Rows older than a day (Telegram
-- keeps an update no longer) are deleted by the scheduler.
CREATE TABLE taken_updates (
    bot_id BIGINT NOT NULL,
    update_id BIGINT NOT NULL,
    taken_at DOUBLE PRECISION NOT NULL,  -- unix time
    PRIMARY KEY (bot_id, update_id)
);
CREATE INDEX taken_updates_taken_at ON taken_updates (taken_at);
