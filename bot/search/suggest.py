""""Did you mean": for a query that found nothing, the same query with its unknown words corrected.

A word is unknown when its stem matches no article. Its corrections come from the index's own
words (normalised keys, with document frequencies): only those sharing its first letter and
within its length window are read, a slice of the vocabulary rather than all of it, since a typo
rarely hits the first letter. Distance is Damerau–Levenshtein (rapidfuzz): the closest word
wins, then the most frequent. A correction is offered only if the whole query, corrected,
finds something, so following it never ends in "no results" again.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.search.query import Query, parse_query, to_fts
from bot.text import detect_language, tokenize
from storage import ArticleSearch, FtsQuery

MIN_CHARS = 3  # shorter words have too many neighbours to guess between
MAX_CHARS = 40
TRIES = 3  # corrected queries checked for results, best first


def max_distance(word: str) -> int:
    """One edit in a short word, two in a longer one."""
    return 1 if len(word) <= 4 else 2


async def corrections(index: ArticleSearch, word: str) -> list[str]:
    """Indexed words within `max_distance` of `word`: closest first, then most frequent."""
    limit = max_distance(word)
    vocabulary = dict(await index.words(word[0], len(word) - limit, len(word) + limit))
    vocabulary.pop(word, None)
    close = process.extract(word, list(vocabulary), scorer=DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=None)
    ranked = sorted(close, key=lambda found: (found[1], -vocabulary[found[0]], found[0]))
    return [found[0] for found in ranked[:TRIES]]


async def _unknown_words(index: ArticleSearch, query: Query) -> list[str]:
    """The query's words (normalised keys) whose stems match no article, each once."""
    unknown: list[str] = []
    for term in query.terms:
        for word, stem in zip(term.words, term.stems, strict=True):
            if (MIN_CHARS <= len(word) <= MAX_CHARS and word not in unknown
                    and not await index.exists(FtsQuery(clauses=[[(stem,)]]))):
                unknown.append(word)
    return unknown


def respelled(text: str, fixes: dict[str, str]) -> str:
    """`text` with each word whose key is in `fixes` replaced, everything else as typed."""
    pieces, cursor = [], 0
    for token in tokenize(text, detect_language(text)):
        if token.norm in fixes:
            pieces += [text[cursor : token.start], fixes[token.norm]]
            cursor = token.end
    return "".join(pieces) + text[cursor:]


async def suggest(index: ArticleSearch, query: Query) -> str | None:
    """The query with its unknown words corrected, if that finds something; else None."""
    unknown = await _unknown_words(index, query)
    options = {word: await corrections(index, word) for word in unknown}
    options = {word: found for word, found in options.items() if found}
    for rank in range(TRIES):
        fixes = {word: found[min(rank, len(found) - 1)] for word, found in options.items()}
        if not fixes or (rank and all(len(found) <= rank for found in options.values())):
            break
        text = respelled(query.text, fixes)
        if await index.exists(to_fts(parse_query(text))):
            return text
    return None
