"""Concurrent stemming: wrong stems and exceptions from threads, and what `newsbot ingest` stores.

1. `--threads` threads (default 4) stem every word of the BBC business articles with
   the English stemmer at once, both through `get_stemmer("en")` (its cache cold) and
   through the stemmer behind that cache (`__wrapped__`); every result is compared with
   a private single-threaded Snowball stemmer.
2. `newsbot ingest` of the first `--files` (150) of those files, `--runs` times, in a
   subprocess of the tree under test (below the process-pool threshold, so analysis runs
   in threads): exit status, articles stored, and articles whose words or stems differ
   from a single-threaded `analyse` of the same stored text (done in a fresh process).

Only public functions present before and after the fix are used, so the same script
measures any checkout: everything that imports `bot` runs in a subprocess of the tree under
test (`PYTHONPATH=<tree>`, working directory `<tree>`); this process never imports it.
Prints JSON.

    .venv/bin/python -m bench.stemmer_concurrency [PATH] [--tree /tmp/before] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATH = (REPO / ".." / "shared" / "eval" / "bbc" / "articles" / "business").resolve()
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def hammer(stem, words: list[str], expected: dict[str, str], threads: int) -> dict:
    """Every thread stems every word; count wrong answers and exceptions."""
    counts = {"calls": 0, "wrong_stems": 0, "exceptions": 0}
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def run() -> None:
        calls = wrong = errors = 0
        start.wait()
        for word in words:
            calls += 1
            try:
                wrong += stem(word) != expected[word]
            except Exception:
                errors += 1
        with lock:
            counts["calls"] += calls
            counts["wrong_stems"] += wrong
            counts["exceptions"] += errors

    workers = [threading.Thread(target=run) for _ in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    counts["seconds"] = round(time.perf_counter() - began, 3)
    return counts


def stemmer_threads(files: list[Path], threads: int) -> dict:
    import snowballstemmer

    from bot.text.stemmers import get_stemmer

    words = [w.lower() for f in files for w in _WORD.findall(f.read_text(encoding="utf-8", errors="replace"))]
    reference = snowballstemmer.stemmer("english")
    expected = {w: reference.stemWord(w) for w in set(words)}
    cached = get_stemmer("en")
    return {
        "words": len(words),
        "distinct_words": len(expected),
        "direct": hammer(cached.__wrapped__, words, expected, threads),
        "through_get_stemmer_cache": hammer(cached, words, expected, threads),
    }


def differing_articles(db: Path) -> int:
    """Stored articles whose words or stems differ from a single-threaded analysis (this process)."""
    from bot.ingest.files import ParsedArticle
    from bot.ingest.pipeline import analyse

    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.title, a.body, a.source, t.title_words, t.body_words, t.title_stems, t.body_stems"
        " FROM articles a JOIN article_terms t ON t.article_id = a.id"
    ).fetchall()
    conn.close()
    bad = 0
    for title, body, source, *stored in rows:
        fresh = analyse(ParsedArticle(title, body, source))
        bad += stored != [fresh.title_words, fresh.body_words, fresh.title_stems, fresh.body_stems]
    return bad


def tree_env(tree: Path) -> dict:
    """The environment of a process that imports `bot` from `tree` (before any installed copy)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "NEWSBOT_"))}
    env["PYTHONPATH"] = str(tree)
    return env


def in_tree(tree: Path, *args: str) -> str:
    """Standard output of this script, run by path with `args` in a subprocess of `tree`."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--tree", str(tree), *args],
                          cwd=tree, env=tree_env(tree), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"measuring in {tree} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def ingest_runs(files: list[Path], tree: Path, runs: int) -> list[dict]:
    env = tree_env(tree)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        for run in range(runs):
            db = Path(tmp) / f"run{run}.db"
            began = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(folder)], cwd=tmp,
                                  env={**env, "NEWSBOT_DB": str(db)}, capture_output=True, text=True)
            seconds = time.perf_counter() - began
            stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] if db.exists() else 0
            wrong = int(in_tree(tree, "--check-db", str(db)))
            errors = re.findall(r"^(\w+Error): .*$", done.stderr, re.MULTILINE)
            results.append({"exit_status": done.returncode, "files": len(files), "articles_stored": stored,
                            "articles_with_wrong_stems": wrong, "errors": sorted(set(errors)),
                            "seconds": round(seconds, 2)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, help="folder of BBC business articles")
    parser.add_argument("--tree", type=Path, default=REPO, help="checkout under test (default: this one)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--files", type=int, default=150, help="files per ingest (below the pool threshold)")
    parser.add_argument("--runs", type=int, default=3, help="ingest runs")
    # in a subprocess of the tree (in_tree): one of the measurements below, printed
    parser.add_argument("--check-db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stem-threads", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    tree = args.tree.resolve()
    files = sorted(args.path.glob("*.txt"))
    if args.check_db:
        print(differing_articles(args.check_db))
        return
    if args.stem_threads:
        import bot

        print(json.dumps({"bot_imported_from": str(Path(bot.__file__).parent),
                          "stemmer": stemmer_threads(files, args.threads)}))
        return
    if not files:
        sys.exit(f"no .txt files in {args.path}")
    stemming = json.loads(in_tree(tree, str(args.path.resolve()), "--threads", str(args.threads), "--stem-threads"))
    report = {
        "tree": str(tree),
        "bot_imported_from": stemming["bot_imported_from"],
        "path": str(args.path),
        "threads": args.threads,
        "stemmer": stemming["stemmer"],
        "ingest": ingest_runs(files[: args.files], tree, args.runs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
