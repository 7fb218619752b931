-- Facts about the store as a whole, one row per key. `analysis_version` is the version of the
-- text analysis (bot.text.ANALYSIS_VERSION) that the stored words and stems were made with;
-- no row means version 1, the analysis before versions were recorded. The bot re-analyses a
-- store whose version is older than its own at start-up, then records its version here.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
