-- More than one process on one store (see SQLite's 0009): leases, for display of who holds a
-- role (PostgreSQL elects by advisory locks, which die with their holder's connection), and a
-- log of topic changes, announced on the `topic_changes` channel as they commit.

CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL,
    taken_at   DOUBLE PRECISION NOT NULL
);

CREATE TABLE topic_changes (
    seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic_id BIGINT NOT NULL
);

CREATE FUNCTION log_topic_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Writers of the log take turns until they commit, so `seq` order is commit order and a
    -- reader that saw seq N has seen every change before it. Topic changes are rare.
    PERFORM pg_advisory_xact_lock(7250378401);
    INSERT INTO topic_changes (topic_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    PERFORM pg_notify('topic_changes', '');
    RETURN NULL;
END $$;

CREATE TRIGGER topic_changes_log AFTER INSERT OR UPDATE OR DELETE ON alert_topics
    FOR EACH ROW EXECUTE FUNCTION log_topic_change();
