-- The evidence of Telegram's bot-wide limit, shared (storage/postgres/claims.py `Pace.refused`):
-- 429s for two different chats within a few seconds mean the overall limit
-- (bot/sending/pacer.py), whichever processes received them. One row per source of a recent
-- 429 ('chat:<id>', or 'none' for a refusal without a chat); rows older than a minute go.
CREATE TABLE send_refusals (
    source     TEXT PRIMARY KEY,
    refused_at DOUBLE PRECISION NOT NULL  -- unix time, by the database's clock
);

-- Record a 429 from `source_key`; how many sources were refused in the last `window_s` seconds.
CREATE FUNCTION refuse_send(source_key TEXT, window_s DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    now_s DOUBLE PRECISION := extract(epoch FROM clock_timestamp());
    sources INTEGER;
BEGIN
    INSERT INTO send_refusals (source, refused_at) VALUES (source_key, now_s)
        ON CONFLICT (source) DO UPDATE SET refused_at = excluded.refused_at;
    DELETE FROM send_refusals WHERE refused_at < now_s - 60;
    SELECT count(*) INTO sources FROM send_refusals WHERE refused_at >= now_s - window_s;
    RETURN sources;
END $$;
