"""Analysis under concurrency (issue 8): threads and worker processes must store what one thread would.

Ingest analyses batches in threads (and summaries run in threads); Snowball stemmer objects
keep per-call state, so a shared one gave wrong stems and IndexError. The text is
generated English news (tests/support/generated_news.py), so ../shared/eval is not needed.
Also: `newsbot reanalyse` repairs a corrupted store, and ingest workers die with ingest.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import snowballstemmer

from bot.ingest.files import ParsedArticle, parse_article
from bot.ingest.pipeline import analyse
from bot.summaries.summarizer import summarize
from bot.text import analyze_terms, get_stemmer, split_sentences
from tests.support import ROOT
from tests.support.bot_process import clean_env
from tests.support.generated_news import news_articles, vocabulary
from tests.support.waiting import wait_until, wait_until_stable


def write_files(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(texts):
        (folder / f"{n:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def cli_env(db: Path | None = None) -> dict:
    env = clean_env(PYTHONPATH=str(ROOT))
    if db is not None:
        env["NEWSBOT_DB"] = str(db)
    return env


def newsbot(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=db.parent, env=cli_env(db),
                          capture_output=True, text=True, timeout=timeout)


def stored_terms(db: Path) -> dict[int, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.id, a.title, a.body, a.source, a.language, t.title_words, t.body_words,"
            " t.title_stems, t.body_stems, t.sentences FROM articles a JOIN article_terms t ON t.article_id = a.id"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def fresh_terms(title: str, body: str, source: str | None) -> tuple:
    a = analyse(ParsedArticle(title, body, source))
    return (a.language, a.title_words, a.body_words, a.title_stems, a.body_stems,
            json.dumps([list(s) for s in a.sentences]))


def mismatches(db: Path) -> list[int]:
    """Ids of stored articles whose derived columns differ from a single-threaded analysis."""
    return [i for i, (title, body, source, *derived) in stored_terms(db).items()
            if tuple(derived) != fresh_terms(title, body, source)]


@pytest.mark.e2e
def test_ingest_through_the_cli_stores_the_stems_one_thread_would(tmp_path):
    texts = news_articles(150)  # below the process-pool threshold: analysed in threads
    folder = write_files(tmp_path / "news", texts)
    db = tmp_path / "news.db"
    done = newsbot(db, "ingest", str(folder))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "150 added, 0 skipped, 0 refused" in done.stdout, done.stdout[-500:] + done.stderr[-3000:]
    assert len(stored_terms(db)) == 150
    assert mismatches(db) == []


def _hammer(threads: int, work) -> tuple[list, list]:
    """Run `work(n)` in `threads` threads released together: (results, exceptions)."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads
    errors: list = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as exc:  # collected: the test reports them
            errors.append(repr(exc))

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, errors


def test_threads_stemming_at_once_get_what_one_thread_gets():
    words = [w.replace("'", "") for w in vocabulary()]
    words = random.Random(1).sample(words, len(words))[:12000]
    reference = snowballstemmer.stemmer("english")  # private: never shared with a thread
    expected = {w: reference.stemWord(w) for w in words}
    cached = get_stemmer("en")
    for stem in (cached.__wrapped__, cached):  # the Snowball stemmer itself, then through its cache
        orders = [words[k:] + words[:k] for k in range(0, len(words), len(words) // 4)][:4]
        results, errors = _hammer(4, lambda n: [stem(w) for w in orders[n]])
        wrong = sum(got != expected[w] for order, stems in zip(orders, results) for w, got in zip(order, stems or []))
        assert (wrong, errors) == (0, []), f"{wrong} wrong stems, {len(errors)} threads raised"


@pytest.mark.e2e
def test_threads_analysing_and_summarizing_at_once_match_a_single_thread():
    texts = news_articles(24, seed=99)
    parsed = [parse_article(text) for text in texts]
    # The reference runs in a fresh process, so no cache this test's threads fill can mask an error.
    script = (
        "import json, sys\n"
        "from bot.ingest.files import ParsedArticle\n"
        "from bot.ingest.pipeline import analyse\n"
        "from bot.summaries.summarizer import summarize\n"
        "out = []\n"
        "for title, body, source in json.load(sys.stdin):\n"
        "    a = analyse(ParsedArticle(title, body, source))\n"
        "    out.append([a.title_stems, a.body_stems, [list(s) for s in a.sentences],"
        " summarize(body, title=title, sentences=3).sentences])\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps([[p.title, p.body, p.source] for p in parsed]),
                          capture_output=True, text=True, env=cli_env(), cwd=ROOT, check=True)
    expected = json.loads(done.stdout)

    def work(n: int) -> list:
        order = parsed[n:] + parsed[:n]  # each thread starts elsewhere: first sightings overlap
        out = []
        for p in order:
            a = analyse(p)
            out.append([a.title_stems, a.body_stems, [list(s) for s in a.sentences],
                        summarize(p.body, title=p.title, sentences=3).sentences])
        return out[len(parsed) - n :] + out[: len(parsed) - n]

    results, errors = _hammer(4, work)
    assert errors == []
    for got in results:
        assert got == expected
    norms, stems = analyze_terms(parsed[0].body, "en")
    stem = snowballstemmer.stemmer("english").stemWord
    assert stems == [stem(w) for w in norms]
    assert [(s.start, s.end) for s in split_sentences(parsed[0].body, "en")] == [tuple(s[:2]) for s in expected[0][2]]


@pytest.mark.e2e
def test_reanalyse_repairs_a_store_with_wrong_stems(tmp_path):
    folder = write_files(tmp_path / "news", news_articles(40, seed=3))
    db = tmp_path / "repair.db"
    assert newsbot(db, "ingest", str(folder)).returncode == 0
    before = stored_terms(db)
    with sqlite3.connect(db) as conn:  # what a racing stemmer left behind, and worse
        conn.execute("UPDATE article_terms SET body_stems = replace(body_stems, 'market', 'american') WHERE article_id <= 10")
        conn.execute("UPDATE article_terms SET title_stems = 'brazil', sentences = '[]' WHERE article_id IN (11, 12)")
        conn.execute("UPDATE articles SET language = 'fr' WHERE id = 13")
        conn.execute("DELETE FROM article_terms WHERE article_id = 14")
        conn.execute("INSERT INTO summaries (article_id, setting, sentences) VALUES (1, 'v1:s5:wNone', '[\"stale\"]')")
    corrupted = sum(stored_terms(db).get(i) != row for i, row in before.items())
    assert corrupted >= 8

    done = newsbot(db, "reanalyse", "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"40 re-analysed, {corrupted} changed" in done.stdout
    assert stored_terms(db) == before and mismatches(db) == []
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO article_fts (article_fts, rank) VALUES ('integrity-check', 1)")  # index = table
        assert conn.execute("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'american'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 0
    again = newsbot(db, "reanalyse")
    assert "40 re-analysed, 0 changed" in again.stdout


async def test_reanalyse_interrupted_between_batches_is_finished_by_a_rerun(tmp_path):
    from bot.ingest.pipeline import store_parsed
    from bot.ingest.reanalyse import reanalyse_store
    from storage.sqlite.store import (
        SqliteStore,  # breaks stored stems with SQL: SQLite's own
    )

    opened = await SqliteStore.open(tmp_path / "resume.db")
    db, store = opened.db, opened.articles
    items = [(n, parse_article(text), {}) for n, text in enumerate(news_articles(30, seed=5))]
    async for _ in store_parsed(store, items, batch=8):
        pass
    await db.conn.execute("UPDATE article_terms SET body_stems = 'wrong', title_stems = 'wrong'")
    replace = store.replace_analysis
    calls = 0

    class Interrupted(Exception):
        pass

    async def crash_on_third_batch(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Interrupted
        await replace(*args, **kwargs)

    store.replace_analysis = crash_on_third_batch
    try:
        await reanalyse_store(store, batch=8)
    except Interrupted:
        pass
    store.replace_analysis = replace
    assert await db.fetchvalue("SELECT count(*) FROM article_terms WHERE body_stems = 'wrong'") == 14
    report = await reanalyse_store(store, batch=8)
    assert (report.reanalysed, report.changed) == (30, 14)
    assert await store.count() == 30
    await db.close()
    assert mismatches(tmp_path / "resume.db") == []


def _descendants(root: int) -> dict[int, str]:
    """{pid: start time} of every live process below `root`, from /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = (int(fields[1]), fields[19])
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        for child, (parent, started) in parents.items():
            if parent == pid and child not in found:
                found[child] = started
                todo.append(child)
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] not in "ZX"  # same process, not a zombie


def _is_worker(pid: int, ingest: int) -> bool:
    """A forkserver child (not the forkserver itself, which the ingest started)."""
    try:
        return ("forkserver" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
                and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] != str(ingest))
    except OSError:
        return False


@pytest.mark.e2e
def test_ingest_workers_exit_when_the_ingest_process_is_killed(tmp_path):
    folder = write_files(tmp_path / "bulk", news_articles(260, seed=11))  # >= 200: worker processes
    db = tmp_path / "bulk.db"
    assert newsbot(db, "ingest", str(write_files(tmp_path / "empty", []))).returncode == 0  # migrated
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # the ingest waits for the write lock, its workers up meanwhile
    parent = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(folder)], cwd=tmp_path,
                              env=cli_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, str] = {}

    def descendants() -> set[int]:
        now = _descendants(parent.pid)
        seen.update(now)
        return set(now)

    def workers_up() -> bool:
        assert parent.poll() is None, "ingest ended before its workers were seen"
        return any(_is_worker(p, parent.pid) for p in descendants())

    def survivors() -> list[int]:
        return [p for p, s in seen.items() if _alive(p, s)]

    try:
        wait_until(workers_up, 60, "a worker process of the ingest")
        wait_until_stable(descendants, 1.0, 30, "the pool to finish starting")  # no new process for 1 s
        assert parent.poll() is None, "ingest ended before its workers were seen"
        assert len(seen) >= 3, seen  # forkserver, resource tracker, one worker at least
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        wait_until(lambda: not survivors(), 10, "every process of the ingest to exit")
        assert survivors() == []
    finally:
        lock.rollback()
        lock.close()
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid, started in seen.items():  # on failure, leave nothing running
            if _alive(pid, started):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.e2e
@pytest.mark.parametrize("pidfd", [True, False], ids=["pidfd", "polling"])
def test_a_worker_exits_when_its_parent_dies_even_unreaped(pidfd):
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    script = ("import os, sys, time\n"
              + ("" if pidfd else "os.__dict__.pop('pidfd_open', None)\n")
              + "from bot.ingest.workers import exit_with_parent\n"
              "exit_with_parent(int(sys.argv[1]))\nprint('watching', flush=True)\ntime.sleep(60)\n")
    worker = subprocess.Popen([sys.executable, "-c", script, str(parent.pid)], env=cli_env(), cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout.readline().strip() == "watching"  # exit_with_parent is set up
        assert worker.poll() is None
        parent.kill()  # not waited for yet: a zombie, which must count as gone
        assert worker.wait(timeout=10) == 1
    finally:
        for process in (worker, parent):
            process.kill()
            process.wait()
