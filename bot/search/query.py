"""The search language users know, parsed into analysed terms.

Words must all match; `"a phrase"` matches in order; `A OR B`; `-word` excludes; filters
`source:`, `lang:`, `since:YYYY-MM-DD`. Everything else, including FTS syntax, stray quotes
and emoji, is read as plain words: nothing typed here ever reaches SQLite as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.text import detect_language, normalize, tokenize
from bot.text.scripts import INVISIBLE
from storage import FtsQuery

MAX_TERMS = 12
MAX_QUERY_CHARS = 1_000
_QUOTES = "\"“”«»„"
_SPACE = re.compile(r"\s")
_FILTER = re.compile(r"^(source|lang|since|المصدر|مصدر|اللغة|لغة|منذ|من):(.*)$", re.IGNORECASE | re.DOTALL)
_FILTER_NAMES = {"source": "source", "المصدر": "source", "مصدر": "source", "lang": "lang", "اللغة": "lang",
                 "لغة": "lang", "since": "since", "منذ": "since", "من": "since"}
_LANGUAGE_NAMES = {
    "ar": "ar", "arabic": "ar", "عربي": "ar", "العربية": "ar", "عربية": "ar",
    "en": "en", "english": "en", "انجليزي": "en", "الانجليزية": "en", "انكليزي": "en",
}
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase, as analysed keys in order: `words` exact (normalised), `stems` stemmed."""

    words: tuple[str, ...]
    stems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every clause must match (a clause matches if any of its terms does)."""

    text: str
    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    source: str | None = None
    language: str | None = None
    since: date | None = None
    truncated: bool = False
    ignored: tuple[str, ...] = field(default=())

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for clause in self.clauses for term in clause)

    @property
    def stems(self) -> frozenset[str]:
        """Every stem the query looks for: what a snippet highlights."""
        return frozenset(s for term in self.terms for s in term.stems)

    @property
    def filtered(self) -> bool:
        """Whether it narrows by source, language or date: enough to list the newest."""
        return bool(self.source or self.language or self.since)


def to_fts(query: Query) -> FtsQuery:
    """The storage-level form: stems to match, and the filters."""
    return FtsQuery(
        clauses=[[term.stems for term in clause] for clause in query.clauses],
        excluded=[term.stems for term in query.excluded],
        language=query.language,
        source=normalize(query.source) if query.source else None,
        since=query.since.isoformat() if query.since else None,
    )


def _scan(text: str) -> list[tuple[str, bool, str]]:
    """Split into (kind, negated, value) with kind in word, phrase, or."""
    items: list[tuple[str, bool, str]] = []
    i, n = 0, len(text)
    while i < n:
        if _SPACE.match(text[i]):
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not _SPACE.match(text[i + 1]) and text[i + 1] != "-"
        if negated:
            i += 1
        if text[i] in _QUOTES:
            close = next((j for j in range(i + 1, n) if text[j] in _QUOTES), -1)
            if close > i + 1:
                items.append(("phrase", negated, text[i + 1 : close]))
                i = close + 1
                continue
            i += 1  # a stray or empty quote: drop it, read on as plain words
            continue
        j = i
        while j < n and not _SPACE.match(text[j]) and text[j] not in _QUOTES:
            j += 1
        word = text[i:j]
        # `source:"Al Jazeera"`: a filter whose value is the quoted phrase right after it
        if word.endswith(":") and _FILTER.match(word) and j < n and text[j] in _QUOTES:
            close = next((k for k in range(j + 1, n) if text[k] in _QUOTES), -1)
            if close > j:
                word, j = word + text[j + 1 : close], close + 1
        items.append(("or", False, word) if word == "OR" and not negated else ("word", negated, word))
        i = j
    return items


def _term(value: str, language: str, *, keep_stop_words: bool) -> Term | None:
    tokens = tokenize(value, language)
    if not keep_stop_words and len(tokens) == 1 and tokens[0].is_stop:
        return None
    tokens = [t for t in tokens if t.stem]
    if not tokens:
        return None
    return Term(tuple(t.norm for t in tokens), tuple(t.stem for t in tokens))


def _apply_filter(name: str, value: str, found: dict, ignored: list[str]) -> None:
    value = value.strip()
    if name == "source" and value:
        found["source"] = value
    elif name == "lang" and normalize(value) in _LANGUAGE_NAMES:
        found["language"] = _LANGUAGE_NAMES[normalize(value)]
    elif name == "since":
        try:
            found["since"] = date.fromisoformat(value)
        except ValueError:
            ignored.append(f"{name}:{value}")
    else:
        ignored.append(f"{name}:{value}")


def parse_query(text: str) -> Query:
    """Parse what a user typed; never raises, whatever the input."""
    text = _INVISIBLE.sub("", text)[:MAX_QUERY_CHARS]
    items = _scan(text)
    # The language of what is searched for, not of filter names like `since:`.
    language = detect_language(" ".join(v for k, _, v in items if k != "or" and not _FILTER.match(v)))
    content_words = sum(
        1 for kind, _, value in items
        if kind == "word" and not _FILTER.match(value) and any(not t.is_stop for t in tokenize(value, language))
    )
    keep_stop_words = content_words == 0  # a query of only stop words searches for them
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    filters: dict = {}
    ignored: list[str] = []
    join_next = False
    count = 0
    truncated = False
    for kind, negated, value in items:
        if kind == "or":
            join_next = bool(clauses)
            continue
        if kind == "word" and (m := _FILTER.match(value)):
            _apply_filter(_FILTER_NAMES[m.group(1).lower()], m.group(2), filters, ignored)
            continue
        term = _term(value, language, keep_stop_words=keep_stop_words or kind == "phrase")
        if term is None:
            continue
        if count == MAX_TERMS:
            truncated = True
            break
        count += 1
        if negated:
            excluded.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return Query(
        text=text,
        clauses=tuple(tuple(dict.fromkeys(c)) for c in clauses),
        excluded=tuple(dict.fromkeys(excluded)),
        truncated=truncated,
        ignored=tuple(ignored),
        **filters,
    )
