"""k-fold cross-validated summary quality: tuned parameters chosen on training folds only.

Usage:
    python -m bench.summary_cv [--easc DIR] [--bbc DIR] [--bbc-every K] [--folds 5] [--seed 10]
                               [--sets easc,bbc] [--quick]

Same data, budgets and ROUGE as bench/summary_quality.py: every reference gets its own summary
with a word budget of count_words(reference); EASC's five references are averaged per article,
then articles are averaged (macro). BBC titles are given as `title=`. Lead and the stock sumy
systems are bench/_baselines.py exactly.

Folds are by article (k=5, shuffled with a fixed seed). For every family of tuned parameters
the grid point with the best mean of (R1+R2+RL)/3 over the training folds is chosen and scored
on the held-out fold. Reported per fold: held-out R1/R2/RL, the chosen point, and Lead's and
every stock sumy system's scores on the same fold; then mean, min, max and std over folds.

Families:
- shipped: summarize() with its shipped settings (weights_for(lang)), not tuned here; those are
  this script's in-sample best points, so their all-article and per-fold scores are in-sample.
  The honest figure is the shipped ranker's family below (`shipped.cv` in each scheme: per fold,
  vs Lead and every stock sumy system); `shipped.fixed_in_sample` is the point itself. The
  replica of the shipped ranker (bench/_cv_cache.py) is checked against summarize().
- current: the "textrank" ranker's parameters (lead, lead_scale, title, redundancy).
- lead_select: Lead's order inside the summarizer's selection (fragments under 4 words last,
  redundancy check): is the selection rule itself better or worse than Lead's?
- leadsim: TextRank + lead prior + TF-IDF cosine of each sentence with the first paragraph
  (weight fp) and with the lead window, the first 2 sentences (weight lw), + title.
- pacsum: the "pacsum" ranker (bot.summaries.pacsum): directed centrality over TF-IDF cosine
  (edges below min + beta*(max-min) dropped; lam1 * sum over earlier sentences + 1 * sum over
  later ones, rescaled to [0, 1]) + lead prior + first paragraph + lead window + title, with
  the redundancy check.
- hybrid: TextRank + w * the PacSum score above, + lead prior + lead window + title.
- switch_<base>: per article, Lead if the inverted-pyramid signal (TF-IDF cosine of the lead
  window with the rest of the article) is at least t, else <base>; t and base chosen jointly.

Every set is also cross-validated leave-one-category-out (`by_category`): EASC's topics are
grouped by category (1-10 art, 11-17 education, 18-50 environment, 51-67 finance, 68-84 health,
85-100 politics) and the kept-back topics are other categories, so a held-out category is the
closer stand-in for "unseen news"; BBC by folder.

Prints JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import statistics
import sys
import time
from dataclasses import asdict

import numpy

from bench._baselines import STOCK, lead, stock_summarizer
from bench._cv_cache import (
    Cached,
    article_score,
    pacsum_point_scores,
    prepare,
    select,
    textrank_scores,
)
from bench._evaldata import DEFAULT_EVAL, bbc, easc
from bot.summaries.pacsum import directed_centrality
from bot.summaries.summarizer import summarize, weights_for
from bot.summaries.weights import Weights

METRICS = ("R1", "R2", "RL")


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- baselines


SHIPPED_FAMILY = {"textrank": "current", "pacsum": "pacsum"}  # Weights.ranker -> family here


def replica_scores(c: Cached, w: Weights) -> list[float]:
    """The default ranker's scores for settings `w`, from the cache (checked against summarize())."""
    if w.ranker == "textrank":
        return textrank_scores(c, w.lead, w.lead_scale, w.title)
    base = directed_centrality(c.tfidf_sim, w.beta, w.lam1)
    pos = numpy.exp(-numpy.arange(c.n) / w.lead_scale)
    point = {"lead": w.lead, "fp": w.first_paragraph, "lw": w.lead_window, "title": w.title}
    return pacsum_point_scores(c, base, pos, point)


def baselines(cached: list[Cached]) -> tuple[dict[str, numpy.ndarray], dict[str, float], dict]:
    """Per-article (R1, R2, RL) of shipped summarize(), Lead and stock sumy; seconds; replica check."""
    out: dict[str, numpy.ndarray] = {}
    seconds: dict[str, float] = {}
    runs = {"lead": lambda a, b: lead(a.text, a.language, b)}
    for name in STOCK:
        run = stock_summarizer(name)
        runs[f"sumy_{name}"] = lambda a, b, run=run: run(a.text, a.language, b)
    runs["shipped"] = lambda a, b: summarize(a.text, title=a.title, words=b).sentences
    agree = total = 0
    mismatches = []
    for name, run in runs.items():
        rows = []
        started = time.perf_counter()
        for c in cached:
            tot = [0.0, 0.0, 0.0]
            for r, b in enumerate(c.budgets):
                sentences = run(c.article, b)
                s = c.rouge_text(r, sentences)
                for m in range(3):
                    tot[m] += s[m] / len(c.budgets)
                if name == "shipped":
                    w = weights_for(c.lang)
                    mine = select(c, replica_scores(c, w), b, w.redundancy)
                    total += 1
                    if [c.texts[i] for i in mine] == sentences:
                        agree += 1
                    elif len(mismatches) < 5:
                        mismatches.append({"article": c.article.id, "budget": b})
            rows.append(tot)
        seconds[name] = round(time.perf_counter() - started, 2)
        out[name] = numpy.array(rows)
        log(f"  {name}: {numpy.round(out[name].mean(0), 4).tolist()} in {seconds[name]}s")
    replica = {"agree": agree, "total": total, "rate": round(agree / max(1, total), 4), "mismatches": mismatches}
    return out, seconds, replica


# --------------------------------------------------------------------------- families


def _grid(**axes) -> list[dict]:
    keys = list(axes)
    points = []
    seen = set()
    for values in itertools.product(*(axes[k] for k in keys)):
        p = dict(zip(keys, values))
        if p.get("lead", 1) == 0 and "lead_scale" in p:
            p["lead_scale"] = axes["lead_scale"][0]  # scale is moot without a lead prior
        key = tuple(sorted(p.items()))
        if key not in seen:
            seen.add(key)
            points.append(p)
    return points


def family_current(cached: list[Cached], points: list[dict]) -> numpy.ndarray:
    """M[point, article, metric] for the shipped ranker's parameters (exact replica)."""
    M = numpy.zeros((len(points), len(cached), 3))
    for a, c in enumerate(cached):
        cache: dict = {}
        for p_i, p in enumerate(points):
            key = (p["lead"], p["lead_scale"], p["title"])
            scores = cache.get(key)
            if scores is None:
                scores = cache[key] = textrank_scores(c, p["lead"], p["lead_scale"], p["title"])
            M[p_i, a] = article_score(c, scores, p["redundancy"])
    return M


def family_signals(cached: list[Cached], points: list[dict]) -> numpy.ndarray:
    """M for score = base + lead*exp(-i/scale) + fp*first_para_sim + lw*lead_sim + title*title_sim."""
    M = numpy.zeros((len(points), len(cached), 3))
    for a, c in enumerate(cached):
        n = c.n
        bases: dict = {}
        pos_cache: dict = {}
        for p_i, p in enumerate(points):
            bkey = p["base"]
            base = bases.get(bkey)
            if base is None:
                if bkey == "textrank":
                    base = numpy.array(c.cent)
                elif bkey == "none":
                    base = numpy.zeros(n)
                elif bkey[0] == "pacsum":
                    _, beta, lam1 = bkey
                    base = directed_centrality(c.tfidf_sim, beta, lam1)
                else:  # ("hybrid", beta, lam1, w): TextRank + w * PacSum
                    _, beta, lam1, w = bkey
                    base = numpy.array(c.cent) + w * directed_centrality(c.tfidf_sim, beta, lam1)
                bases[bkey] = base
            pos = pos_cache.get(p["lead_scale"])
            if pos is None:
                pos = pos_cache[p["lead_scale"]] = numpy.exp(-numpy.arange(n) / p["lead_scale"])
            M[p_i, a] = article_score(c, pacsum_point_scores(c, base, pos, p), p["redundancy"])
    return M


# --------------------------------------------------------------------------- cross-validation


def make_folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[f::k]) for f in range(k)]


def _objective(scores: numpy.ndarray) -> numpy.ndarray:
    """Mean of R1, R2, RL over the given articles (last two axes: article, metric)."""
    return scores.mean(axis=-2).mean(axis=-1)


def cross_validate(M: numpy.ndarray, points: list[dict], folds: list[list[int]]) -> dict:
    per_fold = []
    for f, test in enumerate(folds):
        train = [i for g, fold in enumerate(folds) if g != f for i in fold]
        obj = _objective(M[:, train])
        best = int(numpy.argmax(obj))  # first best on ties: grids list simpler points first
        held = M[best, test].mean(0)
        per_fold.append({
            "fold": f, **{k: round(float(v), 4) for k, v in zip(METRICS, held)},
            "train_objective": round(float(obj[best]), 4), "chosen": _show(points[best]),
        })
    allin = _objective(M)
    best_all = int(numpy.argmax(allin))
    return {
        "per_fold": per_fold, "summary": _spread(per_fold),
        "in_sample_best": {"point": _show(points[best_all]),
                           **{k: round(float(v), 4) for k, v in zip(METRICS, M[best_all].mean(0))}},
        "grid_points": len(points),
    }


def cross_validate_switch(M: numpy.ndarray, points: list[dict], lead_rows: numpy.ndarray,
                          signal: numpy.ndarray, folds: list[list[int]]) -> dict:
    """Per article: Lead if signal >= t else the base point; (t, base) chosen on training folds."""
    per_fold = []
    for f, test in enumerate(folds):
        train = numpy.array([i for g, fold in enumerate(folds) if g != f for i in fold])
        cands = sorted(set(numpy.quantile(signal[train], numpy.linspace(0, 1, 21)).tolist()) | {math.inf})
        best = (-1.0, None, None)
        for t in cands:
            use_lead = signal[train] >= t
            mixed = numpy.where(use_lead[None, :, None], lead_rows[train][None], M[:, train])
            obj = _objective(mixed)
            p = int(numpy.argmax(obj))
            if obj[p] > best[0] + 1e-12:
                best = (float(obj[p]), t, p)
        obj, t, p = best
        use_lead = signal[test] >= t
        held = numpy.where(use_lead[:, None], lead_rows[test], M[p, test]).mean(0)
        per_fold.append({
            "fold": f, **{k: round(float(v), 4) for k, v in zip(METRICS, held)},
            "train_objective": round(obj, 4),
            "chosen": {"t": None if math.isinf(t) else round(t, 4), "lead_share_test": round(float(use_lead.mean()), 2),
                       "base": _show(points[p])},
        })
    return {"per_fold": per_fold, "summary": _spread(per_fold)}


def fixed_per_fold(rows: numpy.ndarray, folds: list[list[int]]) -> dict:
    per_fold = [{"fold": f, **{k: round(float(v), 4) for k, v in zip(METRICS, rows[test].mean(0))}}
                for f, test in enumerate(folds)]
    return {"per_fold": per_fold, "summary": _spread(per_fold),
            "all": {k: round(float(v), 4) for k, v in zip(METRICS, rows.mean(0))}}


def _spread(per_fold: list[dict]) -> dict:
    out = {}
    for k in METRICS:
        vals = [p[k] for p in per_fold]
        out[k] = {"mean": round(statistics.fmean(vals), 4), "min": round(min(vals), 4),
                  "max": round(max(vals), 4), "std": round(statistics.pstdev(vals), 4)}
    return out


def _show(p: dict) -> dict:
    out = {}
    for k, v in p.items():
        if k == "base" and isinstance(v, tuple) and v[0] == "pacsum":
            out[k] = {"pacsum_beta": v[1], "lam1": v[2]}
        elif k == "base" and isinstance(v, tuple):
            out[k] = {"textrank_plus_pacsum": v[3], "pacsum_beta": v[1], "lam1": v[2]}
        else:
            out[k] = v
    return out


def margins(a: dict, b: dict, folds: int) -> dict:
    """Per-fold margin a - b, its mean/min/max/std and how many folds a wins, per metric."""
    out = {}
    for k in METRICS:
        d = [pa[k] - pb[k] for pa, pb in zip(a["per_fold"], b["per_fold"])]
        out[k] = {"per_fold": [round(x, 4) for x in d], "mean": round(statistics.fmean(d), 4),
                  "min": round(min(d), 4), "max": round(max(d), 4), "std": round(statistics.pstdev(d), 4),
                  "folds_won": sum(x > 0 for x in d), "of": folds}
    return out


def shipped_report(report: dict, family: str, k: int) -> dict:
    """The shipped ranker per fold vs Lead and every stock sumy system.

    `cv`: its family with parameters re-chosen on each fold's training articles, the estimate for
    unseen news. `fixed_in_sample`: the shipped point itself (it is the all-article best).
    """
    fixed = report["fixed"]
    others = ["lead"] + sorted(n for n in fixed if n.startswith("sumy_"))
    out: dict = {"family": family}
    for label, res in (("cv", report["tuned"][family]), ("fixed_in_sample", fixed["shipped"])):
        out[label] = {"per_fold": res["per_fold"], "summary": res["summary"],
                      **{f"vs_{n}": margins(res, fixed[n], k) for n in others}}
    return out


# --------------------------------------------------------------------------- main


def grids(language: str, quick: bool) -> dict[str, list[dict]]:
    titles = [0.0] if language == "ar" else [0.0, 0.1, 0.2, 0.5, 1.0]
    current = _grid(
        lead=[0.0, 0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0],
        lead_scale=[1.0, 2.0, 4.0, 8.0, 16.0],
        title=[0.2] if language == "ar" else titles,  # EASC has no titles: title is moot
        redundancy=[0.3, 0.5, 0.7, 1.0],
    )
    ts = [0.0] if language == "ar" else [0.0, 0.5]
    # Lead order inside the summarizer's own selection (fragments last, redundancy check).
    lead_select = _grid(base=["none"], lead=[1.0], lead_scale=[1e9], fp=[0.0], lw=[0.0], title=[0.0],
                        redundancy=[0.3, 0.5, 0.7, 1.0])
    leadsim = _grid(
        base=["textrank"], lead=[0.0, 0.3, 1.0, 3.0, 5.0], lead_scale=[2.0, 4.0, 8.0],
        fp=[0.0, 0.5, 1.0, 2.0], lw=[0.0, 0.5, 1.0, 2.0], title=ts, redundancy=[0.5, 0.7, 1.0],
    )
    pac_bases = [("pacsum", beta, lam1) for beta in (0.0, 0.3, 0.6) for lam1 in (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0)]
    pacsum = _grid(
        base=pac_bases, lead=[0.0, 0.5, 1.0, 3.0], lead_scale=[2.0, 8.0],
        fp=[0.0, 1.0], lw=[0.0, 1.0, 2.0], title=ts, redundancy=[0.5, 0.7, 1.0],
    )
    hyb_bases = [("hybrid", beta, lam1, w) for beta in (0.0, 0.3) for lam1 in (-1.0, -0.5, 0.0) for w in (0.5, 1.0, 2.0)]
    hybrid = _grid(
        base=hyb_bases, lead=[0.0, 0.5, 1.0, 3.0], lead_scale=[2.0, 8.0],
        fp=[0.0], lw=[0.0, 1.0], title=ts, redundancy=[0.5, 0.7, 1.0],
    )
    if quick:
        current, leadsim, pacsum, hybrid = current[::7], leadsim[::13], pacsum[::37], hybrid[::29]
    return {"current": current, "lead_select": lead_select, "leadsim": leadsim, "pacsum": pacsum,
            "hybrid": hybrid}


def category_folds(name: str, articles, root) -> tuple[list[str], list[list[int]]]:
    """Leave-one-category-out folds: EASC's file-name category (topics are grouped by it, and
    the kept-back topics 101+ are other categories), BBC's folder."""
    from pathlib import Path

    cats = []
    for a in articles:
        if name == "easc":
            first = next(p for p in sorted((Path(root) / "Articles" / a.id).iterdir()) if p.is_file())
            cats.append(first.name.split(" (")[0].strip().lower())
        else:
            cats.append(a.id.split("/")[0])
    names = sorted(set(cats))
    return names, [[i for i, c in enumerate(cats) if c == n] for n in names]


def evaluate_scheme(rows, Ms, fams, signal, folds, shipped_family: str) -> dict:
    k = len(folds)
    report: dict = {"fold_sizes": [len(f) for f in folds],
                    "fixed": {n: fixed_per_fold(r, folds) for n, r in rows.items()}, "tuned": {}}
    for fam, points in fams.items():
        report["tuned"][fam] = cross_validate(Ms[fam], points, folds)
    for fam in ("current", "pacsum", "hybrid"):
        report["tuned"][f"switch_{fam}"] = cross_validate_switch(Ms[fam], fams[fam], rows["lead"], signal, folds)
    stock = [n for n in report["fixed"] if n.startswith("sumy_")]
    best_stock = max(stock, key=lambda n: report["fixed"][n]["all"]["R1"])
    report["margins"] = {
        fam: {"vs_lead": margins(res, report["fixed"]["lead"], k),
              "vs_shipped": margins(res, report["fixed"]["shipped"], k),
              f"vs_{best_stock}": margins(res, report["fixed"][best_stock], k),
              "vs_every_stock_min_fold_margin": {
                  m: round(min(margins(res, report["fixed"][s], k)[m]["min"] for s in stock), 4) for m in METRICS}}
        for fam, res in report["tuned"].items()
    }
    report["shipped"] = shipped_report(report, shipped_family, k)
    for fam, res in report["tuned"].items():
        log(f"    {fam}: " + " ".join(f"{m} {res['summary'][m]['mean']}" for m in METRICS)
            + "  vs lead " + " ".join(f"{m} {report['margins'][fam]['vs_lead'][m]['mean']:+.4f}"
                                      f"({report['margins'][fam]['vs_lead'][m]['folds_won']}/{k})" for m in METRICS))
    return report


def run_set(name: str, articles, k: int, seed: int, quick: bool, root) -> dict:
    started = time.perf_counter()
    cached = [prepare(a) for a in articles]
    prep = time.perf_counter() - started
    log(f"{name}: {len(cached)} articles prepared in {prep:.1f}s")
    rows, seconds, replica = baselines(cached)
    log(f"{name}: replica agreement {replica}")
    report: dict = {
        "articles": len(cached), "references": sum(len(c.budgets) for c in cached),
        "replica_agreement": replica, "baseline_seconds": seconds, "prepare_seconds": round(prep, 1),
    }
    fams = grids(cached[0].lang, quick)
    Ms = {}
    report["grid"] = {}
    for fam, points in fams.items():
        t0 = time.perf_counter()
        Ms[fam] = (family_current if fam == "current" else family_signals)(cached, points)
        report["grid"][fam] = {"points": len(points), "seconds": round(time.perf_counter() - t0, 1)}
        log(f"{name}: {fam} grid {report['grid'][fam]}")
    signal = numpy.array([c.pyramid for c in cached])
    family = SHIPPED_FAMILY[weights_for(cached[0].lang).ranker]
    report["shipped_weights"] = {"family": family, **asdict(weights_for(cached[0].lang))}
    log(f"{name}: k-fold")
    report["kfold"] = evaluate_scheme(rows, Ms, fams, signal, make_folds(len(cached), k, seed), family)
    names, groups = category_folds(name, articles, root)
    log(f"{name}: leave-one-category-out {names}")
    report["by_category"] = evaluate_scheme(rows, Ms, fams, signal, groups, family)
    report["by_category"]["categories"] = names
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description="cross-validated ROUGE of newsbot's summarizer")
    parser.add_argument("--easc", default=DEFAULT_EVAL / "easc")
    parser.add_argument("--bbc", default=DEFAULT_EVAL / "bbc")
    parser.add_argument("--bbc-every", type=int, default=3, help="use every K-th BBC article (runtime)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--sets", default="easc,bbc")
    parser.add_argument("--quick", action="store_true", help="thin grids (smoke test)")
    args = parser.parse_args()
    started = time.perf_counter()
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    hashes = {p: hashlib.sha1((root / p).read_bytes()).hexdigest()[:12]
              for p in ("bot/text/sentences.py", "bot/text/normalize.py", "bot/text/stemmers.py", "bot/text/tokens.py",
                        "bot/summaries/summarizer.py", "bot/summaries/ranking.py", "bot/summaries/pacsum.py",
                        "bot/summaries/weights.py")}
    report: dict = {"source_sha1": hashes, "folds": args.folds, "seed": args.seed, "objective": "mean of R1, R2, RL on the training folds",
                    "bbc_every": args.bbc_every}
    for name in args.sets.split(","):
        if name == "easc":
            articles = list(easc(Path(args.easc)))
        else:
            articles = list(bbc(Path(args.bbc)))[:: args.bbc_every]
        root = args.easc if name == "easc" else args.bbc
        report[name] = run_set(name, articles, args.folds, args.seed, args.quick, root)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
