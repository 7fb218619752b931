-- "Did you mean" reads the words of the index (normalised keys) with their document
-- frequencies. The fts5vocab table of 0006 counts them at every read by walking each term's
-- doclist, so a prefix as common as Arabic 'ا' (every word with ال) cost about half a second
-- at 100,000 articles. Now the article writes keep the counts (storage/sqlite/articles.py),
-- as PostgreSQL's do, and a read seeks only the lengths it asks for: the key leads with the
-- word's length in characters (what length() counts), then the word (unique by itself).
CREATE TABLE word_frequencies (
    chars INTEGER NOT NULL,
    word  TEXT NOT NULL,
    df    INTEGER NOT NULL CHECK (df > 0),
    PRIMARY KEY (chars, word)
) WITHOUT ROWID;

-- The vocabulary as the triggers kept it: the same terms, the same counts.
INSERT INTO word_frequencies (chars, word, df)
SELECT length(term), term, doc FROM article_words_vocab WHERE doc > 0;

DROP TRIGGER article_words_ai;
DROP TRIGGER article_words_ad;
DROP TRIGGER article_words_au;
DROP TABLE article_words_vocab;
DROP TABLE article_words;

ALTER TABLE word_frequencies RENAME TO article_words;
