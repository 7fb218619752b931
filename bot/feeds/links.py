"""Canonical article URLs, so one story reached through different links is stored once.

courlan (trafilatura's own URL library) removes tracking parameters (utm_*, fbclid,
gclid, mc_*, igshid, ref…), lowercases scheme and host, drops default ports and sorts
the query; its non-strict mode keeps every other parameter, because news sites often
carry the article id in one (?id=, ?p=, ?nid=). Fragments never name another page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

__all__ = ["canonical_url"]

_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")


def canonical_url(url: str) -> str:
    """The link without trackers or fragment; anything courlan rejects comes back trimmed."""
    url = url.strip()
    try:
        url = normalize_url(url)
    except ValueError:
        return url
    scheme, netloc, path, query, _fragment = urlsplit(url)
    # %d8%a7 and %D8%A7 are the same byte: one spelling, so duplicates compare equal.
    path = _PERCENT.sub(lambda m: m.group(0).upper(), path)
    return urlunsplit((scheme, netloc, path, query, ""))
