"""A small ROUGE-1/2/L (F1) that keeps Arabic letters and folds alef forms.

rouge-score's default tokenizer drops every non-Latin letter, so Arabic would
score zero; here tokens are runs of letters/digits of `bot.text.normalize`
keys (marks and tatweel removed, أ إ آ ٱ -> ا, ى -> ي, ة -> ه, case folded).
ROUGE-L is the LCS of the whole token sequences (like rouge-score's `rougeL`),
computed bit-parallel so full benchmark runs stay fast.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.text.normalize import normalize

__all__ = ["rouge_tokens", "rouge_n", "rouge_l", "rouge_scores", "lcs_length"]

_TOKEN = re.compile(r"[^\W_]+")


def rouge_tokens(text: str) -> list[str]:
    """Comparison tokens of `text`."""
    return _TOKEN.findall(normalize(text))


def _f1(overlap: float, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    cand = Counter(zip(*(candidate[i:] for i in range(n))))
    ref = Counter(zip(*(reference[i:] for i in range(n))))
    overlap = sum((cand & ref).values())
    return _f1(overlap, sum(cand.values()), sum(ref.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (Hyyrö's bit-vector algorithm)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for token in b:
        u = v & masks.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    """ROUGE-L F1 over whole token sequences."""
    return _f1(lcs_length(candidate, reference), len(candidate), len(reference))


def rouge_scores(candidate: str, reference: str) -> dict[str, float]:
    """{'R1', 'R2', 'RL'} F1 of `candidate` against `reference`."""
    cand, ref = rouge_tokens(candidate), rouge_tokens(reference)
    return {"R1": rouge_n(cand, ref, 1), "R2": rouge_n(cand, ref, 2), "RL": rouge_l(cand, ref)}
