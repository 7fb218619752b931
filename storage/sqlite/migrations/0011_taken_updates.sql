-- Telegram updates this store's processes have taken (storage/sqlite/updates.py): the first
-- process to record an update's id handles it, any copy of it handed out again is skipped.
-- Rows older than a day (Telegram keeps an update no longer) are deleted by the scheduler.
CREATE TABLE taken_updates (
    bot_id INTEGER NOT NULL,
    update_id INTEGER NOT NULL,
    taken_at REAL NOT NULL,  -- unix time
    PRIMARY KEY (bot_id, update_id)
) WITHOUT ROWID;
CREATE INDEX taken_updates_taken_at ON taken_updates (taken_at);
