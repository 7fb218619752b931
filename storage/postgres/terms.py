"""The analysed stems as PostgreSQL sees them: split exactly as SQLite FTS5's `unicode61
remove_diacritics 0` tokenizer splits them, written as tsvector and tsquery literals.

PostgreSQL parses and stems nothing here: the lexemes are the tokens FTS5 would index, with
the positions FTS5 would give them, so both backends match the same articles. Title tokens
are at positions 1..n (weight A), body tokens after a gap of one (weight B), so a phrase
never runs from the title into the body (FTS5 phrases stay inside one column). The split
itself is storage/tokens.py's, shared with the SQLite backend's word frequencies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

from storage.tokens import distinct_tokens as _all_distinct
from storage.tokens import tokens
from storage.types import Phrase

# PostgreSQL's limits: positions 1..16383, 256 positions per lexeme, lexemes under 2 KiB.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_LEXEME_BYTES = 2046


def phrase_tokens(keys: Phrase) -> list[str]:
    """The tokens of a phrase of keys, as FTS5 reads the string literal `"k1 k2"`."""
    return [t for key in keys for t in tokens(key)]


def quote(lexeme: str) -> str:
    """A lexeme as a quoted tsvector/tsquery literal: quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _usable(lexeme: str) -> bool:
    return len(lexeme.encode("utf-8")) <= MAX_LEXEME_BYTES


def tsvector_literal(title_stems: str, body_stems: str) -> tuple[str, int]:
    """(the tsvector literal of an article's stems, how many tokens FTS5 counts in it)."""
    title, body = tokens(title_stems), tokens(body_stems)
    positions: dict[str, list[str]] = {}
    for offset, weight, words in ((1, "A", title), (len(title) + 2, "B", body)):
        for i, token in enumerate(words):
            at = positions.setdefault(token, [])
            if len(at) < MAX_POSITIONS_PER_LEXEME:
                at.append(f"{min(offset + i, MAX_POSITION)}{weight}")
    literal = " ".join(f"{quote(lexeme)}:{','.join(at)}" for lexeme, at in positions.items() if _usable(lexeme))
    return literal, len(title) + len(body)


def phrase_query(keys: Phrase) -> str | None:
    """One phrase as a tsquery literal (`'a' <-> 'b'`), or None when it has no token (FTS5
    matches nothing for an empty phrase)."""
    words = phrase_tokens(keys)
    if not words or not all(_usable(w) for w in words):
        return None
    return " <-> ".join(quote(w) for w in words) if len(words) > 1 else quote(words[0])


def any_of(phrases: Iterable[Phrase]) -> str | None:
    """Phrases OR-ed, or None when none can match."""
    parts = [q for q in (phrase_query(p) for p in phrases) if q is not None]
    if not parts:
        return None
    return " | ".join(f"( {p} )" for p in parts)


def match_query(clauses: Sequence[Sequence[Phrase]], excluded: Sequence[Phrase] = ()) -> str | None:
    """The tsquery of every clause (any of its phrases), none of `excluded`; None if it has no
    positive clause. A clause none of whose phrases can match makes the whole query "never"."""
    clauses = [c for c in clauses if c]
    if not clauses:
        return None
    parts = []
    for clause in clauses:
        part = any_of(clause)
        if part is None:
            return NEVER
        parts.append(f"( {part} )")
    expression = " & ".join(parts)
    not_any = any_of(excluded)
    if not_any is not None:
        expression = f"( {expression} ) & !( {not_any} )"
    return expression


# A query that matches no article: a lexeme no tokenizer output can be (a space inside).
NEVER = "' '"


def distinct_tokens(*texts: str) -> set[str]:
    """The distinct tokens of the texts that PostgreSQL can index: what one article adds to a
    document frequency."""
    return {t for t in _all_distinct(*texts) if _usable(t)}


def bigram(first: str, second: str) -> str:
    """The postings key of two adjacent tokens (no token holds a space)."""
    return f"{first} {second}"


def phrase_keys(words: Sequence[str]) -> list[str]:
    """The postings keys a phrase is read from: its adjacent pairs (each at the position after
    the last's), or its tokens when a pair's key would be too long for the index."""
    pairs = [bigram(a, b) for a, b in pairwise(words)]
    return pairs if pairs and all(_usable(k) for k in pairs) else list(words)


def postings(title_stems: str, body_stems: str) -> list[tuple[str, float, list[int]]]:
    """(key, weighted frequency: 4 x title hits + body hits, positions) per distinct usable stem
    of an article and per distinct pair of adjacent stems inside one column (a phrase's
    frequency); positions are numbered as in its tsvector, a title's negative."""
    title, body = tokens(title_stems), tokens(body_stems)
    found: dict[str, list[int]] = {}
    for start, sign, words in ((1, -1, title), (len(title) + 2, 1, body)):
        for i, token in enumerate(words):
            found.setdefault(token, []).append(sign * (start + i))
        for i in range(len(words) - 1):
            found.setdefault(bigram(words[i], words[i + 1]), []).append(sign * (start + i))
    return [(key, float(sum(4 if p < 0 else 1 for p in at)), at) for key, at in found.items() if _usable(key)]


def phrase_hits(words: list[str], article_id: int, positions: dict) -> float:
    """A multi-word phrase's occurrences in an article, a title's four times (FTS5's weights)."""
    first = positions.get((words[0], article_id))
    if not first:
        return 0.0
    rest = [set(positions.get((w, article_id), ())) for w in words[1:]]
    if not all(rest):
        return 0.0
    hits = 0.0
    for p in first:  # a title's positions are negative: its next word at p - 1
        step = -1 if p < 0 else 1
        if all(p + step * (i + 1) in at for i, at in enumerate(rest)):
            hits += 4.0 if p < 0 else 1.0
    return hits


def holds(article_id: int, clauses: list, excluded: list, post: dict,
          positions: dict, counts: dict) -> bool:
    """Whether an article (holding every stem of some phrase of each clause) matches exactly;
    the multi-word phrases' hits go to `counts` by (phrase index, id)."""
    k = 0
    for clause in clauses:
        held = False
        for words in clause:
            if len(words) == 1:
                held = held or article_id in post[words[0]]
            else:
                hits = phrase_hits(words, article_id, positions)
                if hits:
                    counts[(k, article_id)] = hits
                    held = True
            k += 1
        if not held:
            return False
    return not any(len(words) > 1 and phrase_hits(words, article_id, positions) for words in excluded)
