"""Parsed articles -> stored articles: analysed once (off the event loop), written in batches."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bot.ingest.files import (
    ParsedArticle,
    Refused,
    article_files,
    content_hash,
    read_article_file,
)
from bot.ingest.workers import exit_with_parent
from bot.text import analyze_terms, detect_language, normalize, split_sentences
from storage import ArticleStore, NewArticle

BATCH = 64  # articles per analysis task and per write transaction
POOL_THRESHOLD = 200  # files from which worker processes pay for their start-up

@dataclass
class IngestReport:
    added: list[tuple[str, int, str]] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def analyse(parsed: ParsedArticle, *, origin: str | None = None, url: str | None = None,
            published_at: str | None = None, language: str | None = None,
            digest: str | None = None) -> NewArticle:
    """Everything search and summaries need, derived once. CPU work: call it off the event loop."""
    lang = language or detect_language(parsed.title + "\n" + parsed.body)
    title_words, title_stems = analyze_terms(parsed.title, lang)
    body_words, body_stems = analyze_terms(parsed.body, lang)
    sentences = [(s.start, s.end, s.paragraph) for s in split_sentences(parsed.body, lang)]
    return NewArticle(
        title=parsed.title,
        body=parsed.body,
        language=lang,
        content_hash=digest or content_hash(parsed),
        title_words=" ".join(title_words),
        body_words=" ".join(body_words),
        title_stems=" ".join(title_stems),
        body_stems=" ".join(body_stems),
        sentences=sentences,
        source=parsed.source,
        source_key=normalize(parsed.source) if parsed.source else None,
        url=url or parsed.url,
        published_at=published_at or parsed.published_at,
        origin=origin,
    )


def _analyse_batch(items: list[tuple[ParsedArticle, dict]]) -> list[NewArticle]:
    return [analyse(parsed, **meta) for parsed, meta in items]


class Analyser:
    """Runs `analyse` off the event loop: in worker processes for bulk work, else in a thread.

    Threads share bot.text's caches and stemmers, which are safe for concurrent use.
    """

    def __init__(self, processes: int = 0) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> "Analyser":
        if self.processes > 0:
            # forkserver: never fork this process, whose threads (aiosqlite's) may hold locks.
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("forkserver"),
                                             initializer=exit_with_parent, initargs=(os.getpid(),))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, items: list[tuple[ParsedArticle, dict]]) -> asyncio.Future:
        return asyncio.get_running_loop().run_in_executor(self._pool, _analyse_batch, items)


async def _aiter(items: AsyncIterable | Iterable) -> AsyncIterator:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def analysed_ahead(
    batches: AsyncIterable[list[tuple[object, ParsedArticle, dict]]], *, processes: int = 0,
) -> AsyncIterator[tuple[list[tuple[object, ParsedArticle, dict]], list[NewArticle]]]:
    """Each batch of `(key, parsed, metadata)` with its analyses, in order; later batches are
    analysed ahead (in worker processes when `processes` > 0) while the caller writes earlier ones."""
    depth = max(2, 2 * processes)
    inflight: deque[tuple[list, asyncio.Future]] = deque()
    async with Analyser(processes) as analyser:
        async for batch in batches:
            inflight.append((batch, analyser.submit([(p, m) for _, p, m in batch])))
            if len(inflight) >= depth:
                oldest, future = inflight.popleft()
                yield oldest, await future
        while inflight:
            oldest, future = inflight.popleft()
            yield oldest, await future


async def _batched(items: AsyncIterable | Iterable, size: int) -> AsyncIterator[list]:
    batch: list = []
    async for item in _aiter(items):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def store_parsed(
    store: ArticleStore,
    items: AsyncIterable[tuple[object, ParsedArticle, dict]] | Iterable[tuple[object, ParsedArticle, dict]],
    *,
    processes: int = 0,
    batch: int = BATCH,
) -> AsyncIterator[tuple[object, NewArticle, int, bool]]:
    """Analyse and store `(key, parsed, metadata)` items, yielding `(key, article, id, created)` in order.

    Each batch is written in one transaction while the next ones are analysed.
    """
    async for chunk, articles in analysed_ahead(_batched(items, batch), processes=processes):
        results = await store.add_many(articles)
        for (key, _, _), article, (article_id, created) in zip(chunk, articles, results):
            yield key, article, article_id, created


async def ingest_files(
    store: ArticleStore,
    paths: Iterable[Path],
    *,
    on_progress: Callable[[Path], None] | None = None,
    processes: int | None = None,
) -> IngestReport:
    """Add every article file under `paths`; already-stored ones are skipped, bad ones refused.

    Large runs analyse in one worker process per core; a handful of files stay in a thread.
    """
    files = list(article_files(paths))
    if processes is None:
        processes = (os.cpu_count() or 1) if len(files) >= POOL_THRESHOLD else 0
    report = IngestReport()

    async def readable() -> AsyncIterator[tuple[object, ParsedArticle, dict]]:
        """Parsed files, less the refused and those already stored (checked a batch at a time)."""
        for start in range(0, len(files), BATCH):
            batch = []
            for path in files[start : start + BATCH]:
                try:
                    parsed = read_article_file(path)
                except Refused as exc:
                    report.refused.append((str(path), str(exc)))
                    if on_progress:
                        on_progress(path)
                    continue
                batch.append((path, parsed, content_hash(parsed)))
            known = await store.known(content_hashes=[digest for _, _, digest in batch])
            for path, parsed, digest in batch:
                if digest in known:  # not worth analysing again
                    report.skipped.append((str(path), known[digest]))
                    if on_progress:
                        on_progress(path)
                else:
                    yield path, parsed, {"origin": str(path), "digest": digest}

    async for path, article, article_id, created in store_parsed(store, readable(), processes=processes):
        name = str(path)
        if created:
            report.added.append((name, article_id, article.title))
        else:
            report.skipped.append((name, article_id))
        if on_progress:
            on_progress(path)
    return report
