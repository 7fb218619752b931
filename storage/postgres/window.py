"""The newest articles a query matches, found inside PostgreSQL from the postings alone.

One statement per query: each key's postings (a stem's, an adjacent pair's) are read newest
first from the postings' index, the keys a match needs joined on the article (merged where
their lists are of a size, the far larger probed per article of the rarest), a clause of
several phrases grouped per article as its lists stream by. The LIMIT stops the reading once enough articles
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
PROBE_RATIO = 4  # a member this many times the driver's size is probed per article, not merged
JOINED_PER_PHRASE = 3  # keys of one phrase joined in SQL; a longer phrase's rest is checked by positions
DAY = "coalesce(a.published_at, a.ingested_at)"  # an article's date: published, else stored


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
        sql.append(f"{DAY} >= {params.add(query.since)}")
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
    def stems(self) -> list[str]:
        """The stems the keys are made of (a pair's two)."""
        return sorted({w for key in self.keys for w in key.split(" ")})

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


@dataclass
class _Member:
    """What one join member reads: one key's postings, or a group of several (a clause's
    phrases, any of them), and at most how many articles it holds."""

    keys: list[str]
    phrases: list[list[str]] | None  # None: one key
    size: int


def _members(shape: Shape, df: dict[str, int]) -> list[_Member]:
    """The join members, smallest first: a clause repeated ("a a") is joined once, a key once."""
    def size(key: str) -> int:  # a pair's: at most its rarer stem's
        return min(df.get(w, 0) for w in key.split(" "))

    members: list[_Member] = []
    seen: set[tuple] = set()
    single: set[str] = set()
    for clause in shape.clauses:
        phrases = [_joined_keys(keys) for keys in clause]
        signature = tuple(sorted(tuple(keys) for keys in phrases))
        if signature in seen:  # bm25 counts it twice, matching need not
            continue
        seen.add(signature)
        if len(phrases) == 1:
            for key in phrases[0]:
                if key not in single:
                    single.add(key)
                    members.append(_Member([key], None, size(key)))
        else:
            keys = sorted({k for keys in phrases for k in keys})
            members.append(_Member(keys, phrases, sum(size(k) for k in keys)))
    return sorted(members, key=lambda m: m.size)


def _statement(shape: Shape, query: FtsQuery, params: Params, after: str, limit: str,
               df: dict[str, int]) -> str:
    """Rows (article id, its tokens, then each key's weighted frequency there or NULL).

    The rarest member (one key's postings, or a clause of several phrases grouped per article)
    drives. A member of about its size is joined, which PostgreSQL does by merging the lists
    newest first; a member far larger is probed per driving article instead (a LATERAL lookup
    in its postings' key), so a rare word beside a common one costs the rare one's list. The
    LIMIT ends the reading once enough articles are found."""
    at: dict[str, str] = {}  # a key's parameter, added when the statement first names it

    def ref(key: str) -> str:
        if key not in at:
            at[key] = params.add(key)
        return at[key]

    members = _members(shape, df)
    parts: list[str] = []
    column: dict[str, str] = {}
    for n, member in enumerate(members):
        name = f"m{n}"
        probed = n > 0 and member.size > PROBE_RATIO * max(members[0].size, 1)
        on = "article_id = m0.article_id" if probed else f"article_id < {after}"
        if member.phrases is None:
            key = member.keys[0]
            sql = f"SELECT article_id, tokens, tf FROM article_postings WHERE stem = {ref(key)} AND {on}"
            column.setdefault(key, f"{name}.tf")
        else:
            freq = {k: f"max(tf) FILTER (WHERE stem = {ref(k)})" for k in member.keys}
            held = " OR ".join("(" + " AND ".join(f"{freq[k]} IS NOT NULL" for k in phrase) + ")"
                               for phrase in member.phrases)
            if probed:
                source = (f"article_postings WHERE stem IN ({', '.join(ref(k) for k in member.keys)}) AND {on}")
            else:
                source = "(" + " UNION ALL ".join(
                    f"(SELECT stem, article_id, tf, tokens FROM article_postings WHERE stem = {ref(k)} AND {on}"
                    f" ORDER BY article_id DESC)" for k in member.keys) + ") u"
            sql = ("SELECT article_id, min(tokens) AS tokens, "
                   + ", ".join(f"{freq[k]} AS f{j}" for j, k in enumerate(member.keys))
                   + f" FROM {source} GROUP BY article_id HAVING {held}")
            for j, k in enumerate(member.keys):
                column.setdefault(k, f"{name}.f{j}")
        if n == 0:
            parts.append(f"({sql}) {name}")
        elif probed:
            parts.append(f" CROSS JOIN LATERAL ({sql}) {name}")
        else:
            parts.append(f" JOIN ({sql}) {name} USING (article_id)")
    excluded = dict.fromkeys(keys[0] for keys in shape.excluded if len(keys) == 1)
    conditions = [f"NOT EXISTS (SELECT 1 FROM article_postings x WHERE x.stem = {ref(key)}"
                  f" AND x.article_id = m0.article_id)" for key in excluded]
    where = filters(query, params)
    if where:
        conditions.append(f"EXISTS (SELECT 1 FROM articles a WHERE a.id = m0.article_id{where})")
    return ("SELECT m0.article_id, m0.tokens, "
            + ", ".join(column.get(k, "NULL::real") for k in shape.keys)
            + " FROM " + "".join(parts)
            + (" WHERE " + " AND ".join(conditions) if conditions else "")
            + f" ORDER BY m0.article_id DESC LIMIT {limit}")


async def statistics(db: Database, stems: list[str]) -> tuple[int, int, dict[str, int]]:
    """(articles, their tokens, {stem: how many articles hold it}) in one statement."""
    docs, tokens, found, counts = await db.fetchone(
        "SELECT t.docs, t.tokens, coalesce(s.stems, '{}'), coalesce(s.dfs, '{}') FROM search_totals t,"
        " (SELECT array_agg(stem) AS stems, array_agg(df) AS dfs FROM article_stems WHERE stem = ANY($1::text[])) s"
        " WHERE t.id = 1", (stems,))
    return docs, tokens, dict(zip(found, counts))


async def _positions(db: Database, keys: list[str], ids: list[int]) -> dict[tuple[str, int], list[int]]:
    rows = await db.fetchall("SELECT stem, article_id, positions FROM article_postings"
                             " WHERE stem = ANY($1::text[]) AND article_id = ANY($2::bigint[])", (keys, ids))
    return {(r[0], r[1]): r[2] for r in rows}


async def newest_matches(db: Database, query: FtsQuery, shape: Shape, want: int, df: dict[str, int]) -> Window:
    """Up to `want` of the newest articles matching `query` (as `shape`), with their
    frequencies; `df`: the document frequencies of its stems (`statistics`)."""
    keys, checked = shape.keys, shape.checked_keys
    window = Window(freq={key: {} for key in keys})
    if not shape.clauses or any(not clause for clause in shape.clauses):
        return window
    after, step = NO_UPPER_BOUND, want if not checked else 2 * want
    while len(window.ids) < want:
        params = Params()
        sql = _statement(shape, query, params, params.add(after), params.add(step), df)
        rows = await db.fetchall(sql, params.values)
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
