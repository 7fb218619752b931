"""The newest articles a query matches, found inside PostgreSQL from the postings alone.

One statement per query: each key's postings (a stem's, an adjacent pair's) are read newest
first from the postings' index, the keys a match needs joined on the article (PostgreSQL
merges the lists or probes the rarer's articles in the other), a clause of several phrases
grouped per article as its lists stream by. The LIMIT stops the reading once enough articles
are found, so a common word costs the window, not its whole posting list; a rare conjunction
reads its lists once, in C, and only the matches come back. Excluded words and filters are
probed per matching article.

Phrases of three words or more (two pairs or more) hold all their pairs in the candidates;
their positions are checked here, in Python, on the candidates only (`terms.holds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from storage.postgres.db import Database
from storage.postgres.terms import holds, phrase_keys, phrase_query, phrase_tokens
from storage.types import FtsQuery

NO_UPPER_BOUND = 2**63 - 1
JOINED_PER_PHRASE = 3  # keys of one phrase joined in SQL; a longer phrase's rest is checked by positions
_DAY = "coalesce(a.published_at, a.ingested_at)"


class Params:
    """Positional parameters: `add(value)` gives its `$n`."""

    def __init__(self) -> None:
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def like_pattern(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filters(query: FtsQuery, params: Params) -> str:
    """` AND ...` over `articles a` for the query's language, source and date filters."""
    sql = []
    if query.language:
        sql.append(f"a.language = {params.add(query.language)}")
    if query.source:
        # SQLite's LIKE ignores ASCII case; source keys are normalised (lower case) already.
        sql.append(f"a.source_key ILIKE {params.add(like_pattern(query.source))} ESCAPE '\\'")
    if query.since:
        sql.append(f"{_DAY} >= {params.add(query.since)}")
    return "".join(f" AND {s}" for s in sql)


@dataclass
class Shape:
    """A query as postings keys: clause -> phrase -> its keys; excluded phrases' keys."""

    clauses: list[list[list[str]]]
    excluded: list[list[str]]

    @classmethod
    def of(cls, query: FtsQuery) -> Shape:
        clauses = [[phrase_keys(phrase_tokens(p)) for p in clause if phrase_query(p) is not None]
                   for clause in query.clauses if clause]
        excluded = [phrase_keys(phrase_tokens(p)) for p in query.excluded if phrase_query(p) is not None]
        return cls(clauses, excluded)

    @cached_property
    def phrases(self) -> list[list[str]]:
        """Every clause's phrases in order: what bm25 scores, one term each."""
        return [keys for clause in self.clauses for keys in clause]

    @cached_property
    def keys(self) -> list[str]:
        return sorted({k for keys in self.phrases + self.excluded for k in keys})

    @cached_property
    def checked_keys(self) -> list[str]:
        """The keys of phrases of more than one key: their positions decide a match."""
        return sorted({k for keys in self.phrases + self.excluded if len(keys) > 1 for k in keys})


@dataclass
class Window:
    """The matches newest first, and what ranking needs of them."""

    ids: list[int] = field(default_factory=list)
    freq: dict[str, dict[int, float]] = field(default_factory=dict)  # key -> article -> weighted hits
    length: dict[int, int] = field(default_factory=dict)  # article -> its tokens
    counts: dict[tuple[int, int], float] = field(default_factory=dict)  # (phrase, article) -> hits, long phrases


def _joined_keys(keys: list[str]) -> list[str]:
    """The keys of a phrase the statement joins: each once, and of a long phrase only its first,
    middle and last pair. That finds a superset of its articles; positions decide (holds)."""
    unique = list(dict.fromkeys(keys))
    if len(unique) <= JOINED_PER_PHRASE:
        return unique
    return [unique[0], unique[len(unique) // 2], unique[-1]]


def _statement(shape: Shape, query: FtsQuery, params: Params, after: str, limit: str) -> str:
    """Rows (article id, its tokens, then each key's weighted frequency there or NULL).

    Every clause of one phrase contributes its keys' postings, a clause of several phrases
    (any of them) one group of its keys' postings per article; they are joined on the
    article, which PostgreSQL does by merging the lists newest first (or by probing the
    rarer's articles in the other), so a LIMIT ends the reading early."""
    at: dict[str, str] = {}  # a key's parameter, added when the statement first names it

    def ref(key: str) -> str:
        if key not in at:
            at[key] = params.add(key)
        return at[key]

    members: list[str] = []
    column: dict[str, str] = {}
    seen: set[tuple] = set()
    for clause in shape.clauses:
        phrases = [_joined_keys(keys) for keys in clause]
        signature = tuple(sorted(tuple(keys) for keys in phrases))
        if signature in seen:  # the same clause again ("a a"): bm25 counts it, matching need not
            continue
        seen.add(signature)
        if len(phrases) == 1:
            for key in phrases[0]:
                if key in column:
                    continue
                name = f"m{len(members)}"
                members.append(f"(SELECT article_id, tokens, tf FROM article_postings"
                               f" WHERE stem = {ref(key)} AND article_id < {after}) {name}")
                column[key] = f"{name}.tf"
            continue
        name = f"m{len(members)}"
        keys = sorted({k for keys in phrases for k in keys})
        freq = {k: f"max(tf) FILTER (WHERE stem = {ref(k)})" for k in keys}
        scans = " UNION ALL ".join(f"(SELECT stem, article_id, tf, tokens FROM article_postings WHERE stem = {ref(k)}"
                                   f" AND article_id < {after} ORDER BY article_id DESC)" for k in keys)
        held = " OR ".join("(" + " AND ".join(f"{freq[k]} IS NOT NULL" for k in phrase) + ")" for phrase in phrases)
        members.append("(SELECT article_id, min(tokens) AS tokens, "
                       + ", ".join(f"{freq[k]} AS f{j}" for j, k in enumerate(keys))
                       + f" FROM ({scans}) u GROUP BY article_id HAVING {held}) {name}")
        for j, k in enumerate(keys):
            column.setdefault(k, f"{name}.f{j}")
    excluded = dict.fromkeys(keys[0] for keys in shape.excluded if len(keys) == 1)
    conditions = [f"NOT EXISTS (SELECT 1 FROM article_postings x WHERE x.stem = {ref(key)}"
                  f" AND x.article_id = m0.article_id)" for key in excluded]
    where = filters(query, params)
    if where:
        conditions.append(f"EXISTS (SELECT 1 FROM articles a WHERE a.id = m0.article_id{where})")
    return ("SELECT m0.article_id, m0.tokens, "
            + ", ".join(column.get(k, "NULL::real") for k in shape.keys)
            + " FROM " + members[0] + "".join(f" JOIN {m} USING (article_id)" for m in members[1:])
            + (" WHERE " + " AND ".join(conditions) if conditions else "")
            + f" ORDER BY m0.article_id DESC LIMIT {limit}")


async def _positions(db: Database, keys: list[str], ids: list[int]) -> dict[tuple[str, int], list[int]]:
    rows = await db.fetchall("SELECT stem, article_id, positions FROM article_postings"
                             " WHERE stem = ANY($1::text[]) AND article_id = ANY($2::bigint[])", (keys, ids))
    return {(r[0], r[1]): r[2] for r in rows}


async def newest_matches(db: Database, query: FtsQuery, want: int) -> Window:
    """Up to `want` of the newest articles matching `query`, with their frequencies."""
    shape = Shape.of(query)
    keys, checked = shape.keys, shape.checked_keys
    window = Window(freq={key: {} for key in keys})
    if not shape.clauses or any(not clause for clause in shape.clauses):
        return window
    after, step = NO_UPPER_BOUND, want if not checked else 2 * want
    while len(window.ids) < want:
        params = Params()
        rows = await db.fetchall(_statement(shape, query, params, params.add(after), params.add(step)), params.values)
        found: dict[str, dict[int, float]] = {key: {} for key in keys}
        for article_id, tokens, *tfs in rows:
            window.length[article_id] = tokens
            for key, tf in zip(keys, tfs):
                if tf is not None:
                    found[key][article_id] = tf
        ids = [r[0] for r in rows]
        if not checked:
            window.ids, window.freq = ids, found
            break
        positions = await _positions(db, checked, ids) if ids else {}
        for article_id in ids:
            if holds(article_id, shape.clauses, shape.excluded, found, positions, window.counts):
                window.ids.append(article_id)
                for key in keys:
                    if article_id in found[key]:
                        window.freq[key][article_id] = found[key][article_id]
        if len(rows) < step:
            break
        after, step = ids[-1], 2 * step
    del window.ids[want:]
    return window
