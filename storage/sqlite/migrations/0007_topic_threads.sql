-- Forum supergroups have topic threads: a topic followed from a thread sends its alerts there.
-- NULL: the chat's main thread (private chats, plain groups, a forum's General topic).
ALTER TABLE alert_topics ADD COLUMN thread_id INTEGER;
ALTER TABLE alert_outbox ADD COLUMN thread_id INTEGER;
