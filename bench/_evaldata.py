"""Readers for the evaluation sets in ../shared/eval (never copied into the repo)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Article", "easc", "bbc", "DEFAULT_EVAL"]

DEFAULT_EVAL = (Path(__file__).resolve().parents[1] / ".." / "shared" / "eval").resolve()


@dataclass(frozen=True, slots=True)
class Article:
    """One article with its reference summaries (EASC has five, BBC one)."""

    id: str
    language: str
    title: str | None
    text: str
    references: tuple[str, ...]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig", errors="replace")


def easc(root: Path) -> Iterator[Article]:
    """EASC: Articles/TopicN/<one file>, MTurk/TopicN/D*.M.250.A.{1..5}.*; no titles."""
    topics = sorted((root / "Articles").iterdir(), key=lambda p: int(p.name.removeprefix("Topic")))
    for topic in topics:
        article = next(p for p in sorted(topic.iterdir()) if p.is_file())
        refs = tuple(_read(p).strip() for p in sorted((root / "MTurk" / topic.name).iterdir()) if p.is_file())
        yield Article(topic.name, "ar", None, _read(article), refs)


def bbc(root: Path) -> Iterator[Article]:
    """BBC: first line of each article is its title, summaries share the file name."""
    for category in sorted(p for p in (root / "articles").iterdir() if p.is_dir()):
        for path in sorted(category.glob("*.txt")):
            title, _, body = _read(path).partition("\n")
            summary = _read(root / "summaries" / category.name / path.name).strip()
            yield Article(f"{category.name}/{path.stem}", "en", title.strip(), body, (summary,))
