-- Articles keep their text as ingested; everything search and summaries need is derived beside it.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    url          TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    source       TEXT,
    source_key   TEXT,  -- the source as a matching key, for `source:` filters
    published_at TEXT,
    language     TEXT NOT NULL,
    body         TEXT NOT NULL,
    origin       TEXT,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX articles_newest ON articles (coalesce(published_at, ingested_at) DESC, id DESC);

-- Analysed keys: space-separated normalised words and their stems, position-aligned.
CREATE TABLE article_terms (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title_words TEXT NOT NULL,
    body_words  TEXT NOT NULL,
    title_stems TEXT NOT NULL,
    body_stems  TEXT NOT NULL,
    sentences   TEXT NOT NULL  -- JSON [[start, end, paragraph], ...] into articles.body
);

-- Only stems are indexed; the exact words stay beside them for re-ranking the top matches.
CREATE VIRTUAL TABLE article_fts USING fts5 (
    title_stems, body_stems,
    content = 'article_terms', content_rowid = 'article_id',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER article_terms_ai AFTER INSERT ON article_terms BEGIN
    INSERT INTO article_fts (rowid, title_stems, body_stems)
    VALUES (new.article_id, new.title_stems, new.body_stems);
END;

CREATE TRIGGER article_terms_ad AFTER DELETE ON article_terms BEGIN
    INSERT INTO article_fts (article_fts, rowid, title_stems, body_stems)
    VALUES ('delete', old.article_id, old.title_stems, old.body_stems);
END;

CREATE TRIGGER article_terms_au AFTER UPDATE ON article_terms BEGIN
    INSERT INTO article_fts (article_fts, rowid, title_stems, body_stems)
    VALUES ('delete', old.article_id, old.title_stems, old.body_stems);
    INSERT INTO article_fts (rowid, title_stems, body_stems)
    VALUES (new.article_id, new.title_stems, new.body_stems);
END;

-- Summaries are CPU work: computed once per article and length setting, then reused.
CREATE TABLE summaries (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    setting    TEXT NOT NULL,
    sentences  TEXT NOT NULL,  -- JSON list of sentences, in article order
    PRIMARY KEY (article_id, setting)
);
