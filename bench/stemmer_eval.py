"""Measure Arabic stemmers: do variants conflate, do distinct words stay apart?

Usage: python -m bench.stemmer_eval [--wikinews ../shared/eval/wikinews-ar/WikiNewsTruth.txt]

Three measures, printed as JSON per stemmer:
- curated_recall: share of word pairs inside hand-made variant groups (clitics,
  suffixes, teh marbuta; the groups are written below, not taken from eval data)
  that get one stem;
- curated_false_merge: share of hand-made pairs of *different* words (`كتاب`/`مكتب`,
  `وزير`/`زير`) that wrongly get one stem;
- attested_recall: on the fully diacritised Arabic Wikinews text, with marks
  stripped, pairs of word types (X, variant of X) that both occur in the text,
  where the variant adds a proclitic (و ف ب ل ك ال وال بال لل ...) or an
  inflectional suffix (ة ات ون ين ها ...) to X: share that get one stem. Some such
  pairs are accidental (`لبن`/`لبنان`), so this is an upper-bound-style recall;
- stems_per_type: distinct stems / distinct types on that text (lower = more
  conflation; root extractors are far lower, which shows over-conflation).
score = harmonic mean of mean(curated_recall, attested_recall) and
(1 - curated_false_merge); the production stemmer is the best score.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from bot.text.normalize import normalize, strip_arabic_marks
from bot.text.stemmers import LIGHT_SUFFIXES, ArabicLightStemmer

GROUPS = """
صور الصور والصور بالصور وصورة صورة الصورة صورها للصور
كتاب الكتاب والكتاب بالكتاب كتابه للكتاب
وزير الوزير والوزير وزيرة الوزيرة ووزير
وزارة الوزارة والوزارة بالوزارة وزارته
حكومة الحكومة والحكومة بالحكومة للحكومة حكومته الحكومات حكومات
انتخابات الانتخابات والانتخابات بالانتخابات للانتخابات
رئيس الرئيس والرئيس للرئيس رئيسه رئيسها
مدينة المدينة والمدينة بالمدينة مدينته
مصري المصري المصريون المصريين والمصريين مصرية
فلسطيني الفلسطيني الفلسطينيون الفلسطينيين فلسطينية
معلم المعلم المعلمون المعلمين معلمة المعلمات
شركة الشركة والشركة للشركة شركات الشركات بالشركة
لاعب اللاعب اللاعبين لاعبون واللاعبين
قال وقال قالت وقالت
مؤتمر المؤتمر والمؤتمر بالمؤتمر مؤتمرات
جامعة الجامعة والجامعة بالجامعة جامعات الجامعات
سيارة السيارة والسيارة بالسيارة سيارات السيارات
وكالة الوكالة والوكالة وكالات
بيت البيت والبيت بالبيت بيته
فيلم الفيلم والفيلم بالفيلم فيلمه
اجتماع الاجتماع والاجتماع اجتماعات
مشروع المشروع والمشروع مشروعات
ولاية الولاية والولاية ولايات الولايات
سلطة السلطة والسلطة سلطته
موقع الموقع والموقع بالموقع مواقع
""".strip().splitlines()

DISTINCT = """
كتاب مكتب
كتاب كاتب
مكتب كاتب
علم عالم
علم معلم
سلام إسلام
إسلام مسلم
سلام مسلم
لبنان لبن
وزير زير
وزارة زار
وسائل سائل
وطن طن
وكالة كل
بحر حر
فقط قط
عمان عم
عمل عامل
عمل معمل
سفير سفر
سفارة سفر
درس مدرسة
نقل منقول
فيلم يلم
بيت يت
""".strip().splitlines()

PROCLITICS = ("و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ولل")
SUFFIXES = ("ه", "ات", "ون", "ين", "ها", "هم", "ته", "تها", "يه", "ي")


def light10(word: str) -> str:
    """Larkey et al.'s Light10, as published, on a normalised key."""
    if word.startswith("و") and len(word) >= 4:
        word = word[1:]
    for prefix in ("ال", "وال", "بال", "كال", "فال", "لل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    for suffix in ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def candidates() -> dict[str, Callable[[str, str], str]]:
    """name -> stem(raw_word, normalised_key)."""
    import snowballstemmer
    from nltk.stem.isri import ISRIStemmer

    snow = snowballstemmer.stemmer("arabic").stemWord
    isri = ISRIStemmer().stem
    light = ArabicLightStemmer()
    light_dual = ArabicLightStemmer(suffixes=(*LIGHT_SUFFIXES[:-2], "ان", *LIGHT_SUFFIXES[-2:]))
    light_noprotect = ArabicLightStemmer(protected=frozenset())
    light_min2 = ArabicLightStemmer(min_stem=2)
    return {
        "identity": lambda raw, key: key,
        "snowball(raw)": lambda raw, key: normalize(snow(strip_arabic_marks(raw))),
        "snowball(key)": lambda raw, key: snow(key),
        "isri": lambda raw, key: normalize(isri(strip_arabic_marks(raw))),
        "light10": lambda raw, key: light10(key),
        "newsbot_light": lambda raw, key: light(key),
        "newsbot_light+dual_an": lambda raw, key: light_dual(key),
        "newsbot_light-no_protected_waw": lambda raw, key: light_noprotect(key),
        "newsbot_light_min_stem2": lambda raw, key: light_min2(key),
        "light_prefix+snowball": lambda raw, key: snow(light(key)) if len(light(key)) > 3 else light(key),
    }


def wikinews_words(path: Path) -> list[str]:
    """Arabic words of the diacritised text (headings dropped), as written."""
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            continue
        words += re.findall(r"[\u0621-\u064a\u0640\u064b-\u065f\u0670]+", line)
    return words


def attested_pairs(keys: set[str]) -> list[tuple[str, str]]:
    """(X, variant) pairs of types that both occur, variant = clitic/suffix + X."""
    pairs = []
    for x in keys:
        if len(x) < 3:
            continue
        for p in PROCLITICS:
            if "ال" in p and x.startswith("ال"):
                continue
            if p + x in keys:
                pairs.append((x, p + x))
        base = x[:-1] if x.endswith("ه") else x
        for s in SUFFIXES:
            if base + s in keys and base + s != x:
                pairs.append((x, base + s))
    return sorted(pairs)


def evaluate(stem: Callable[[str, str], str], pairs, raw_of: dict[str, str]) -> dict[str, float]:
    def st(raw: str) -> str:
        return stem(raw, normalize(raw))

    same = total = 0
    for line in GROUPS:
        for a, b in combinations(line.split(), 2):
            total += 1
            same += st(a) == st(b)
    curated_recall = same / total
    merges = sum(st(a) == st(b) for a, b in (line.split() for line in DISTINCT))
    false_merge = merges / len(DISTINCT)
    hit = sum(st(raw_of[a]) == st(raw_of[b]) for a, b in pairs)
    attested = hit / len(pairs) if pairs else 0.0
    stems = {st(raw) for raw in raw_of.values()}
    recall = (curated_recall + attested) / 2
    precision = 1 - false_merge
    score = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {
        "curated_recall": round(curated_recall, 3),
        "curated_false_merge": round(false_merge, 3),
        "attested_recall": round(attested, 3),
        "stems_per_type": round(len(stems) / len(raw_of), 3),
        "score": round(score, 3),
    }


def main() -> None:
    default = Path(__file__).resolve().parents[1] / "../shared/eval/wikinews-ar/WikiNewsTruth.txt"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikinews", type=Path, default=default.resolve())
    args = parser.parse_args()
    raw_of: dict[str, str] = {}
    for raw in wikinews_words(args.wikinews):
        raw_of.setdefault(normalize(raw), raw)
    pairs = attested_pairs(set(raw_of))
    results = {name: evaluate(fn, pairs, raw_of) for name, fn in candidates().items()}
    best = max(results, key=lambda n: results[n]["score"])
    print(json.dumps({
        "corpus_types": len(raw_of),
        "attested_pairs": len(pairs),
        "curated_groups": len(GROUPS),
        "curated_distinct_pairs": len(DISTINCT),
        "results": results,
        "best": best,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
