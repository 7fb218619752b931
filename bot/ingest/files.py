"""Article files -> parsed articles: read, refuse what is not an article, take title and source."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.feeds.links import canonical_url
from bot.ingest.dates import parse_published
from bot.text import normalize, paragraph_spans

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TITLE_CHARS = 300
# Whole lines that are page furniture, not article text (compared as normalised keys).
_FURNITURE = {
    normalize(line)
    for line in (
        "اترك رد", "اترك تعليقا", "اترك تعليقاً", "أضف تعليق", "شارك", "شارك المقال", "اقرأ أيضا",
        "اقرأ أيضاً", "إقرأ أيضاً", "مواضيع ذات صلة", "إعلان", "تابعونا",
        "leave a reply", "leave a comment", "share", "share this", "share this article",
        "read more", "related articles", "advertisement", "comments",
    )
}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\ufeff]+")
_SENTENCE_END = tuple(".!?؟:…\"”»)")
_SOURCE_PREFIX = re.compile(r"^(?:المصدر|مصدر|source|via)\s*[:：]\s*(.+)$", re.IGNORECASE)


class Refused(Exception):
    """The input is not an article we can store; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    title: str
    body: str
    source: str | None
    url: str | None = None
    published_at: str | None = None  # UTC, `YYYY-MM-DDTHH:MM:SSZ`


# Header lines an article file may start with (before or right after its title).
_HEADER = re.compile(r"^(url|link|date|published|source|الرابط|التاريخ|المصدر)\s*[:：]\s*(.+)$", re.IGNORECASE)
_HEADER_FIELD = {"url": "url", "link": "url", "الرابط": "url", "date": "date", "published": "date",
                 "التاريخ": "date", "source": "source", "المصدر": "source"}


def _headers(lines: list[str | None]) -> tuple[dict[str, str], list[str | None]]:
    """`URL:`, `Date:`, `Source:` lines at the top (around the title) -> fields; the rest."""
    fields: dict[str, str] = {}
    kept: list[str | None] = []
    seen_text = 0  # lines of text seen: headers count only among the first two
    for line in lines:
        m = _HEADER.match(line.strip()) if line is not None and seen_text < 2 else None
        if m and _HEADER_FIELD[m.group(1).lower()] not in fields:
            fields[_HEADER_FIELD[m.group(1).lower()]] = m.group(2).strip()
            continue
        if line is not None:
            seen_text += 1
        kept.append(line)
    return fields, kept


def decode_article_bytes(data: bytes) -> str:
    """UTF-8 text (BOM allowed), or Refused: binary files and other encodings are not guessed at."""
    if not data.strip():
        raise Refused("empty file")
    if b"\x00" in data:
        raise Refused("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) // 100:
        raise Refused("binary file, not text")
    return text


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _is_furniture(line: str) -> bool:
    return normalize(line).strip(" .:!-–—|") in _FURNITURE


def _looks_like_source(line: str) -> bool:
    """An outlet line such as `بروكار برس-وكالات`: short, and not a sentence."""
    return len(line) <= 60 and len(line.split()) <= 6 and not line.endswith(_SENTENCE_END)


def parse_article(text: str) -> ParsedArticle:
    """Read text the way a reader does: first line title, an outlet line as source, no furniture.

    `URL:`, `Date:` and `Source:` lines at the top (before or right after the title; also
    `الرابط:`, `التاريخ:`, `المصدر:`) are the article's link, publication time and source.

    The body holds one paragraph per line: hard-wrapped lines are rejoined here, where the
    blank lines between paragraphs are still seen (bot.text.paragraph_spans decides).
    """
    lines: list[str | None] = []  # None: a blank or furniture line, a paragraph break
    for raw in text.splitlines():
        clean = _clean_line(raw)
        if not clean or _is_furniture(clean):
            lines.append(None)
        else:  # an indented first line can mark a paragraph: keep one space of it
            lines.append(" " + clean if raw[:1].isspace() and raw.strip() else clean)
    fields, lines = _headers(lines)
    kept = [i for i, line in enumerate(lines) if line is not None]
    if not kept:
        raise Refused("no article text")
    title, rest = lines[kept[0]].strip(), lines[kept[0] + 1 :]
    if len(title) > MAX_TITLE_CHARS:
        raise Refused("the first line is too long to be a title")
    source = fields.get("source")
    filled = [i for i, line in enumerate(rest) if line is not None] if source is None else []
    for index in filled[-1:] + filled[:1]:
        if m := _SOURCE_PREFIX.match(rest[index].strip()):
            source = m.group(1).strip()
            rest[index] = None
            break
    joined = "\n".join(line or "" for line in rest)
    paragraphs = [" ".join(joined[a:b].split()) for a, b in paragraph_spans(joined)]
    if source is None and len(paragraphs) > 1 and _looks_like_source(paragraphs[-1]):
        source = paragraphs.pop()
    if not paragraphs:
        raise Refused("a title without article text")
    url = fields.get("url")
    url = canonical_url(url) if url and url.lower().startswith(("http://", "https://")) else None
    published = parse_published(fields["date"]) if "date" in fields else None
    return ParsedArticle(title=title, body="\n".join(paragraphs), source=source, url=url, published_at=published)


def content_hash(parsed: ParsedArticle) -> str:
    """Same words, same hash: spacing, vowel marks and letter variants do not make a new article."""
    key = " ".join(normalize(parsed.body).split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every non-hidden file below the folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield child
        else:
            yield path


def read_article_file(path: Path) -> ParsedArticle:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Refused(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise Refused("no such file") from None
    except IsADirectoryError:
        raise Refused("a folder, not a file") from None
    except OSError as exc:
        raise Refused(f"cannot read: {exc.strerror}") from None
    return parse_article(decode_article_bytes(data))
