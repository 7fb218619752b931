-- The interface language a chat chose with /language; NULL: follow the sender's Telegram
-- language (`language`, updated by every command). Alerts and digests use the chosen one first.
ALTER TABLE alert_chats ADD COLUMN chosen_language TEXT;
