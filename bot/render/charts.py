"""Charts as PNG images: the `/trend` bar chart, Arabic labels shaped by matplotlib itself.

matplotlib (3.11+) shapes Arabic and lays it right-to-left, and its bundled DejaVu Sans has
the Arabic glyphs: no font to ship. It is imported on first use (about a second) and drawn
off the event loop by the caller.
"""

from __future__ import annotations

import io

from bot.render import dates, strings
from bot.trends.counts import Trend

WIDTH, HEIGHT, DPI = 8.0, 4.0, 120


def trend_png(trend: Trend, lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    axes = figure.subplots()
    labels = [dates.short_day(day, lang) for day, _ in trend.days]  # `1 ديسمبر`, `1 Dec`
    counts = [count for _, count in trend.days]
    axes.bar(range(len(counts)), counts, color="#1f6fb2")
    step = max(1, len(labels) // 7)
    axes.set_xticks(range(0, len(labels), step), labels[::step])
    axes.set_title(strings.text(lang, "trend_title", query=trend.query, days=len(trend.days)))
    axes.set_ylabel(strings.text(lang, "trend_axis"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
