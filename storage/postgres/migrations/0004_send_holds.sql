-- A 429 held in the shared limiter (storage/postgres/claims.py `Pace.hold`): every process waits.
--
-- Push `hold_key`'s tat ('*' overall, 'chat:<id>' one chat) to at least now + `seconds`, by
-- the database's clock like reserve_send; never pulls it back. One row is locked, so holds
-- and reservations (overall first, then the chat) cannot deadlock.
CREATE FUNCTION hold_send(hold_key TEXT, seconds DOUBLE PRECISION) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO send_pace (key, tat) VALUES (hold_key, 0) ON CONFLICT (key) DO NOTHING;
    PERFORM 1 FROM send_pace WHERE key = hold_key FOR UPDATE;
    UPDATE send_pace SET tat = greatest(tat, extract(epoch FROM clock_timestamp()) + seconds)
     WHERE key = hold_key;  -- now after the lock: waiting for it counts, as in reserve_send
END $$;
