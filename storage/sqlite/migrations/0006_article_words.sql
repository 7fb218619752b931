-- The index's words as typed (normalised keys, not stems), for "did you mean": a word worth
-- suggesting is one some article holds, and its document frequency says how likely it is.
-- Contentless and without positions: only the vocabulary (article_words_vocab) is read.
CREATE VIRTUAL TABLE article_words USING fts5 (
    words,
    content = '', detail = none,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE VIRTUAL TABLE article_words_vocab USING fts5vocab (article_words, 'row');

INSERT INTO article_words (rowid, words)
SELECT article_id, title_words || ' ' || body_words FROM article_terms;

CREATE TRIGGER article_words_ai AFTER INSERT ON article_terms BEGIN
    INSERT INTO article_words (rowid, words) VALUES (new.article_id, new.title_words || ' ' || new.body_words);
END;

CREATE TRIGGER article_words_ad AFTER DELETE ON article_terms BEGIN
    INSERT INTO article_words (article_words, rowid, words)
    VALUES ('delete', old.article_id, old.title_words || ' ' || old.body_words);
END;

CREATE TRIGGER article_words_au AFTER UPDATE ON article_terms BEGIN
    INSERT INTO article_words (article_words, rowid, words)
    VALUES ('delete', old.article_id, old.title_words || ' ' || old.body_words);
    INSERT INTO article_words (rowid, words) VALUES (new.article_id, new.title_words || ' ' || new.body_words);
END;
