"""OPML, the subscription lists feed readers exchange: read with listparser, written plainly."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import listparser

from storage import Source


def read_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, title) of every feed in an OPML document; bytes only (a str may be fetched)."""
    parsed = listparser.parse(bytes(data))
    return [(feed.url, (feed.get("title") or "").strip() or None) for feed in parsed.feeds if feed.get("url")]


def write_opml(sources: Sequence[Source], *, title: str = "newsbot sources") -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             f"  <head><title>{escape(title)}</title></head>", "  <body>"]
    for source in sources:
        lines.append(f"    <outline type=\"rss\" text={quoteattr(source.label)} title={quoteattr(source.label)}"
                     f" xmlUrl={quoteattr(source.url)}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
