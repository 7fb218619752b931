-- More than one process on one store: leases elect the one process that runs scheduled work
-- (and the one sender of an SQLite store), and a log of topic changes lets the matcher's
-- in-memory index follow topics added, paused or removed by any process.

-- `holder` names the process (host:pid:random); a lease not renewed by `expires_at` (unix
-- time) is free for the next taker.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at REAL NOT NULL,
    taken_at   REAL NOT NULL
);

-- One row per change to a topic (its id; the topic itself may be gone). Readers remember the
-- last `seq` they applied; old rows are trimmed.
CREATE TABLE topic_changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id INTEGER NOT NULL
);

CREATE TRIGGER topic_changes_ai AFTER INSERT ON alert_topics BEGIN
    INSERT INTO topic_changes (topic_id) VALUES (new.id);
END;
CREATE TRIGGER topic_changes_au AFTER UPDATE ON alert_topics BEGIN
    INSERT INTO topic_changes (topic_id) VALUES (new.id);
END;
CREATE TRIGGER topic_changes_ad AFTER DELETE ON alert_topics BEGIN
    INSERT INTO topic_changes (topic_id) VALUES (old.id);
END;
