"""Feed bytes to entries: feedparser reads the XML, this module decides what to keep.

feedparser handles RSS 0.9x/1.0/2.0 and Atom, every declared encoding (the XML
prolog, else the HTTP charset) and broken XML (its loose parser recovers what
precedes the break). It is handed a stream, never a string: given a str it
would fetch URLs, and given bytes it first tries them as a local file name.
It strips entity declarations from any DOCTYPE before parsing, so entity
bombs and external entities come out as inert text, not expanded or read.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import lxml.etree
import lxml.html

from bot.feeds.links import canonical_url

__all__ = ["FeedEntry", "NotAFeed", "ParsedFeed", "html_to_text", "parse_feed"]

log = logging.getLogger(__name__)

MAX_ENTRIES = 500
MAX_TEXT = 200_000
MAX_TITLE = 1_000
# Below this, an entry without a full-content element is taken for a teaser.
TEASER_CHARS = 400
# A clock up to a day fast is tolerated; further ahead, the date is a mistake.
FUTURE_SLACK = timedelta(days=1)

_PERIODS = {"hourly": 3600, "daily": 86400, "weekly": 604800, "monthly": 2592000,
            "yearly": 31536000}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml", "application/feed+json")
_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
           "h5", "h6", "blockquote", "pre", "table", "tr", "section", "article", "header",
           "footer", "aside", "figure", "figcaption", "hr", "address"}
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000]")
_SPACES = re.compile(r"\s+")
_BREAK = "\ue000"  # a private-use mark for block ends; _CONTROL removes real ones first
_CONTINUED = re.compile(
    r"(\.\.\.|…|\[…]|\[\.\.\.]|read more|continue reading|اقرأ المزيد|إقرأ المزيد|"
    r"للمزيد|التفاصيل)\W*$", re.IGNORECASE)
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


class NotAFeed(Exception):
    """The body holds no feed; ``reason`` says why, ``alternate`` where a page points."""

    def __init__(self, reason: str, *, alternate: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.alternate = alternate


@dataclass(frozen=True)
class FeedEntry:
    """One item, as plain text; ``teaser`` means its page is worth fetching."""

    guid: str | None
    link: str | None
    title: str
    text: str
    published: str | None
    teaser: bool


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own fields, its usable entries and, if recovered from damage, a warning."""

    title: str | None
    link: str | None
    language: str | None
    ttl_seconds: int | None
    entries: list[FeedEntry]
    warning: str | None


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse fetched bytes; raise NotAFeed when they hold no feed at all."""
    if not body.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise NotAFeed("empty response")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              resolve_relative_uris=True, sanitize_html=True)
    feed = parsed.feed
    raw = parsed.entries
    if not raw:
        _refuse(body, parsed, content_type)
    entries = [e for e in (_entry(item) for item in raw[:MAX_ENTRIES]) if e is not None]
    warnings = []
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        warnings.append(f"broken XML, {len(entries)} entries recovered")
    if len(raw) > MAX_ENTRIES:
        warnings.append(f"{len(raw)} entries, kept the first {MAX_ENTRIES}")
    if warnings:
        log.info("feed %s: %s", url, "; ".join(warnings))
    link = feed.get("link")
    return ParsedFeed(
        title=_plain_title(feed) or None,
        link=canonical_url(link) if link else None,
        language=(feed.get("language") or "").strip() or None,
        ttl_seconds=_ttl_seconds(feed),
        entries=entries,
        warning="; ".join(warnings) or None,
    )


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment: blocks become paragraphs split by a blank line."""
    markup = _CONTROL.sub("", markup)
    if "<" not in markup and "&" not in markup:
        return _paragraphs(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _paragraphs(markup)
    for bad in list(root.iter(*_DROP)):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = _BREAK + (el.tail or "")
            el.text = _BREAK + (el.text or "")
    return _paragraphs(root.text_content())


def _refuse(body: bytes, parsed: feedparser.FeedParserDict, content_type: str | None) -> None:
    """Raise the NotAFeed that fits a body yielding no entries (a quiet feed passes)."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if _HTML_START.match(body[:4096]) or (declared in _HTML_TYPES and not parsed.version):
        raise NotAFeed("an HTML page, not a feed", alternate=_alternate(parsed.feed))
    if parsed.feed.get("title"):
        return
    broken = isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    if broken and body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise NotAFeed("broken XML: nothing could be read")
    raise NotAFeed("not a feed: no entries and no feed title")


def _alternate(feed: feedparser.FeedParserDict) -> str | None:
    """The feed an HTML page advertises with <link rel="alternate" type="…rss+xml">."""
    for link in feed.get("links", []):
        kind = (link.get("type") or "").lower()
        if link.get("rel") == "alternate" and kind in _FEED_TYPES and link.get("href"):
            return link["href"]
    return None


def _entry(item: feedparser.FeedParserDict) -> FeedEntry | None:
    """An entry as plain text, or None when it has neither title nor text."""
    title = _plain_title(item)
    full = [_detail_text(c) for c in item.get("content", [])]
    summary = _detail_text(item.get("summary_detail") or {})
    text = max([*full, summary], key=len)[:MAX_TEXT]
    if not title and not text:
        return None
    link = item.get("link")
    if link and not link.startswith(("http://", "https://")):
        link = None
    guid = (item.get("id") or "").strip() or None
    has_full = any(full)
    return FeedEntry(
        guid=guid,
        link=canonical_url(link) if link else None,
        title=title,
        text=text,
        published=_published(item),
        teaser=_is_teaser(text, has_full),
    )


def _is_teaser(text: str, has_full: bool) -> bool:
    """A teaser ends with a continuation mark, or is short with no full-content element."""
    return bool(_CONTINUED.search(text)) or (not has_full and len(text) < TEASER_CHARS)


def _plain_title(obj: feedparser.FeedParserDict) -> str:
    """The title as one plain line, whatever markup the feed put in it."""
    detail = obj.get("title_detail") or {"value": obj.get("title", "")}
    return " ".join(_detail_text(detail).split())[:MAX_TITLE]


def _detail_text(detail: dict) -> str:
    """Plain text of a feedparser text construct; only HTML types are parsed as HTML."""
    value = detail.get("value") or ""
    if detail.get("type", "text/html") in _HTML_TYPES:
        return html_to_text(value)
    return _paragraphs(_CONTROL.sub("", value))


def _paragraphs(text: str) -> str:
    """Collapse spaces inside each block and keep one blank line between blocks."""
    blocks = (_SPACES.sub(" ", b).strip() for b in re.split(f"{_BREAK}|\n\\s*\n", text))
    return "\n\n".join(b for b in blocks if b)


def _published(item: feedparser.FeedParserDict) -> str | None:
    """Publication time in UTC ("…Z"); None when absent, unparseable or far ahead."""
    # dict.get: FeedParserDict.get("updated_parsed") falls back to published, with a warning.
    stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    if not stamp:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    if when > datetime.now(UTC) + FUTURE_SLACK:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _ttl_seconds(feed: feedparser.FeedParserDict) -> int | None:
    """The feed's own refresh hint: RSS <ttl> minutes, else sy:updatePeriod/Frequency."""
    ttl = _positive_int(feed.get("ttl"))
    if ttl:
        return ttl * 60
    period = _PERIODS.get((feed.get("sy_updateperiod") or "").strip().lower())
    if not period:
        return None
    return period // (_positive_int(feed.get("sy_updatefrequency")) or 1)


def _positive_int(value: object) -> int | None:
    """An integer hint from feed text, or None for anything else."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None
