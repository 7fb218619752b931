"""Text split exactly as SQLite FTS5's `unicode61 remove_diacritics 0` tokenizer splits it.

Both backends need FTS5's own tokens outside FTS5: PostgreSQL indexes them as its lexemes
(storage/postgres/terms.py), and both keep the document frequencies of the words they hold
for "did you mean" (storage/sqlite/articles.py, storage/postgres/articles.py), which must be
the very terms an FTS5 index of those words would list.
"""

from __future__ import annotations

import sqlite3
import threading

_UNICODE61 = "unicode61 remove_diacritics 0"
_folded: dict[int, str] = {}  # code point -> its folded character, or " " for a separator
_no_start: set[str] = set()  # folded token characters that only continue a token
_START = 0x200000
_lock = threading.Lock()
_probe: sqlite3.Connection | None = None


def _learn(chars: set[str]) -> None:
    """Ask SQLite's own unicode61 tokenizer (the library the SQLite backend runs on) how it
    treats each of `chars`: a token character (and what it folds to) or a separator. Its
    Unicode tables are not Python's, so nothing here guesses."""
    global _probe
    with _lock:
        if _probe is None:
            _probe = sqlite3.connect(":memory:", check_same_thread=False)
            _probe.execute(f"CREATE VIRTUAL TABLE probe USING fts5 (text, tokenize = '{_UNICODE61}')")
            _probe.execute("CREATE VIRTUAL TABLE probe_terms USING fts5vocab (probe, 'instance')")
        _probe.execute("DELETE FROM probe")
        # "q?q" says whether ? is a token character and what it folds to; "?q" whether it can
        # start a token (unicode61 continues a token with combining marks it does not start one with).
        _probe.executemany("INSERT INTO probe (rowid, text) VALUES (?, ?)",
                           [(ord(c), f"q{c}q") for c in chars] + [(_START + ord(c), f"{c}q") for c in chars])
        found: dict[int, list[str]] = {}
        for term, doc in _probe.execute("SELECT term, doc FROM probe_terms"):
            found.setdefault(doc, []).append(term)
        for char in chars:
            terms = found.get(ord(char), [])
            inside = len(terms) == 1 and len(terms[0]) == 3
            _folded[ord(char)] = terms[0][1] if inside else " "
            if inside and found.get(_START + ord(char)) == ["q"]:
                _no_start.add(terms[0][1])


def tokens(text: str) -> list[str]:
    """`text` split and case-folded exactly as FTS5's unicode61 tokenizer does it."""
    unknown = {c for c in set(text) if ord(c) not in _folded}
    if unknown:
        _learn(unknown)
    found = [t for t in text.translate(_folded).split(" ") if t]
    if _no_start and any(t[0] in _no_start for t in found):
        found = [s for t in found if (s := t.lstrip("".join(_no_start)) if t[0] in _no_start else t)]
    return found


def distinct_tokens(*texts: str) -> set[str]:
    """The distinct tokens of the texts: what one article adds to a document frequency (the
    texts are tokenized apart, as FTS5 does their concatenation with a space between)."""
    return {t for text in texts for t in tokens(text)}
