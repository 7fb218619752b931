"""Near-duplicate detection: the same story re-published by several outlets.

An article's story signature is a MinHash of its word shingles: K consecutive stems of title +
body as bot.text analyses them (`story_words`: the stems the store keeps, stop words included),
so clitics, plurals, harakat and spelling variants do not break a match. `similarity` estimates the Jaccard similarity of two shingle sets;
two articles at or above THRESHOLD are the same story (`same_story`).

Candidates come from LSH banding: the NUM_PERM values are cut into BANDS bands of ROWS rows,
and each band is one `band_keys` string a database indexes, so a new article's candidates are
"stored articles sharing any band key", then confirmed by `similarity`. A pair of similarity s
shares at least one band with probability P(s) = 1 - (1 - s**ROWS) ** BANDS:
    ROWS=2, BANDS=64:  P(0.30) = 1 - (1 - 0.09)**64 = 0.9976    P(0.40) = 0.99999
                       P(0.20) = 0.927   P(0.10) = 0.474   P(0.05) = 0.148
so pairs at THRESHOLD are found with probability >= 0.99 (ROWS=3, BANDS=42 would give
P(0.30) = 0.68, ROWS=4, BANDS=32 P(0.30) = 0.23); unrelated articles (s < 0.02) rarely share
a band (P < 0.026), and each candidate costs one `similarity`.

Texts with fewer than MIN_SHINGLES shingles (under about 22 words: a headline, a caption; eval
headlines have a median of 10 in Arabic and 4 in English, at most 13 in English) carry too little
to estimate from, and a few common shingles would make them match each other or any article
quoting them: they get no band keys, and their similarity is 1.0 only for byte-equal signatures
(the same words), else 0.0.

Values chosen by bench/near_duplicates.py on EASC, BBC and Wikinews (figures in its docstring):
K=3, stop words kept. k=2 lets same-topic stories reach 0.30 (exact Jaccard); k=4 or dropping
stop words lowers the hardest same-topic negative (0.20-0.21 against 0.23) but lowers the mean
similarity of lightly edited copies (0.76-0.77 against 0.83, English), the agency case this is
for, and dropping stop words would need a second analysis of the text. NUM_PERM=128: mean error
0.016 against exact Jaccard (64: 0.022; 256: 0.011 at twice the bytes). THRESHOLD=0.30: the
best-F1 threshold on half the articles among those the banding serves; on the other half
precision 1.0 and recall 0.992 (Arabic) / 0.988 (English).

Signatures are deterministic across processes and platforms: shingles are hashed with
zlib.crc32 (never Python's salted `hash()`), the permutations are universal hashes
(a*x + b) mod (2**61 - 1) with coefficients derived from blake2b of their index, and the
bytes are little-endian. A signature is stale when the stems change (ANALYSIS_VERSION).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import numpy as np

from bot.text import analyze_terms

__all__ = [
    "BANDS",
    "MIN_SHINGLES",
    "NUM_PERM",
    "ROWS",
    "THRESHOLD",
    "K",
    "band_keys",
    "same_story",
    "shingles",
    "signature",
    "similarity",
    "story_words",
]

K = 3
NUM_PERM = 128
BANDS = 64
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.30
MIN_SHINGLES = 20

_PRIME = np.uint64((1 << 61) - 1)
_LOW32 = np.uint64(0xFFFFFFFF)
_HEADER = 1  # one uint32 before the minima: the number of distinct shingles
_DTYPE = np.dtype("<u4")


def _coefficient(name: str, index: int, bits: int) -> int:
    digest = hashlib.blake2b(f"newsbot-story-{name}-{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % (1 << bits)


def _permutations(count: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of `count` universal hashes; a < 2**31 and x, b < 2**32 keep a*x + b < 2**64."""
    a = np.array([_coefficient("a", i, 31) | 1 for i in range(count)], dtype=np.uint64)
    b = np.array([_coefficient("b", i, 32) for i in range(count)], dtype=np.uint64)
    return a[:, None], b[:, None]


_PERMUTATIONS = {NUM_PERM: _permutations(NUM_PERM)}


def story_words(title: str | None, body: str, language: str) -> list[str]:
    """The stems a story signature is made of: those the store keeps, title then body."""
    return analyze_terms(f"{title}\n{body}" if title else body, language)[1]


def shingles(words: Sequence[str], k: int = K) -> set[int]:
    """crc32 of every run of `k` consecutive words (the whole text when shorter)."""
    runs = [words[i : i + k] for i in range(max(1, len(words) - k + 1))] if words else []
    return {zlib.crc32("\x1f".join(run).encode()) for run in runs}


def signature(words: Sequence[str], *, k: int = K, num_perm: int = NUM_PERM) -> bytes:
    """MinHash of the `k`-shingles of `words`: uint32 shingle count, then `num_perm` minima."""
    hashed = np.fromiter(shingles(words, k), dtype=np.uint64)
    if num_perm not in _PERMUTATIONS:
        _PERMUTATIONS[num_perm] = _permutations(num_perm)
    a, b = _PERMUTATIONS[num_perm]
    if hashed.size:
        minima = (((a * hashed[None, :] + b) % _PRIME) & _LOW32).min(axis=1)
    else:
        minima = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint64)
    header = np.array([min(hashed.size, 0xFFFFFFFF)], dtype=np.uint64)
    return np.concatenate([header, minima]).astype(_DTYPE).tobytes()


def _decode(sig: bytes) -> tuple[int, np.ndarray]:
    values = np.frombuffer(sig, dtype=_DTYPE)
    return int(values[0]), values[_HEADER:]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two shingle sets, in [0, 1]; short texts: 1.0 iff equal."""
    count_a, minima_a = _decode(a)
    count_b, minima_b = _decode(b)
    if minima_a.size != minima_b.size:
        raise ValueError("signatures of different sizes: made with different num_perm")
    if min(count_a, count_b) < MIN_SHINGLES:
        return 1.0 if a == b else 0.0
    return float(np.count_nonzero(minima_a == minima_b)) / minima_a.size


def band_keys(sig: bytes, *, bands: int = BANDS) -> list[str]:
    """One indexable key per LSH band ("<band>-<16 hex>"); none for texts under MIN_SHINGLES."""
    count, minima = _decode(sig)
    if count < MIN_SHINGLES:
        return []
    rows = minima.size // bands
    return [
        f"{band:02x}-{hashlib.blake2b(minima[band * rows : (band + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for band in range(bands)
    ]


def same_story(a: bytes, b: bytes) -> bool:
    """Whether two signatures are of the same story (similarity at or above THRESHOLD)."""
    return similarity(a, b) >= THRESHOLD
