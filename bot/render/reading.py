"""/read: an article's whole text as messages, each within Telegram's limit, cut at sentence ends.

Sizes are measured as `bot.render.html.pack` measures them: the UTF-16 length of what is
left after entity parsing (`utf16_len(visible(html))`), newlines included.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import strings
from bot.render.articles import article_link, source_date
from bot.render.html import MESSAGE_LIMIT, directed, esc, utf16_len, visible
from bot.text.sentences import split_sentences
from storage import Article

MAX_PARTS = 20  # messages one /read sends at most; a longer article is cut, with its link
PARAGRAPH_GAP = "\n\n"


def paragraphs(body: str, language: str) -> list[list[str]]:
    """The body as paragraphs of sentences, each sentence as written (inner line breaks become
    spaces); text outside every sentence span stays with its neighbour, so nothing is lost."""
    found = split_sentences(body, language)
    if not found:
        return [[" ".join(body.split())]] if body.strip() else []
    result: list[list[str]] = []
    last_paragraph = None
    for index, sentence in enumerate(found):
        start = 0 if index == 0 else sentence.start
        end = found[index + 1].start if index + 1 < len(found) else len(body)
        piece = " ".join(body[start:end].split())
        if not piece:
            continue
        if sentence.paragraph != last_paragraph or not result:
            result.append([])
            last_paragraph = sentence.paragraph
        result[-1].append(piece)
    return result


def _cut_long(sentence: str, limit: int) -> list[str]:
    """A sentence longer than `limit` UTF-16 units, cut at spaces (anywhere if it has none)."""
    pieces = []
    while utf16_len(sentence) > limit:
        cut = sentence[:limit]
        while utf16_len(cut) > limit:
            cut = cut[:-1]
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        pieces.append(cut.rstrip())
        sentence = sentence[len(cut):].lstrip()
    if sentence:
        pieces.append(sentence)
    return pieces


def split_text(paras: Sequence[Sequence[str]], lang: str, header: Sequence[str] = (),
               limit: int = MESSAGE_LIMIT) -> list[str]:
    """Paragraphs of plain-text sentences as Telegram HTML messages of at most `limit` units.

    `header` (HTML lines) opens the first message. Messages break between sentences;
    a paragraph that continues in the next message starts its own line there.
    """
    messages: list[str] = []
    lines: list[str] = list(header)  # HTML lines of the current message, done
    line: list[str] = []  # sentences of the paragraph line being filled
    size = sum(utf16_len(visible(h)) for h in header) + max(0, len(header) - 1)
    room = limit - 1 - len(PARAGRAPH_GAP)  # a sentence piece always fits an empty message

    def close_line() -> None:
        nonlocal line
        if line:
            lines.append(directed(esc(" ".join(line)), lang))
        line = []

    def flush() -> None:
        nonlocal lines, size
        close_line()
        if lines:
            messages.append(PARAGRAPH_GAP.join(lines))
        lines, size = [], 0

    for para in paras:
        close_line()
        for sentence in para:
            for piece in _cut_long(sentence, room):
                units = utf16_len(piece)
                if line:
                    cost = 1 + units  # a space
                elif lines:
                    cost = len(PARAGRAPH_GAP) + 1 + units  # the gap and a direction mark
                else:
                    cost = 1 + units
                if size + cost > limit:
                    flush()
                    cost = 1 + units
                line.append(piece)
                size += cost
    flush()
    return messages


def render_full_text(article: Article, paras: Sequence[Sequence[str]], lang: str,
                     max_parts: int = MAX_PARTS, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Title, `source · date`, the whole body, then the link; cut to `max_parts` messages."""
    header = [directed(f"<b>{esc(article.title)}</b>", lang), directed(f"<i>{source_date(article, lang)}</i>", lang)]
    messages = split_text(paras, lang, header, limit)
    link = directed(article_link(article), lang) if article.url else None
    if len(messages) > max_parts:
        key = "read_cut" if article.url else "read_cut_no_link"
        note = directed(strings.text(lang, key, link=article_link(article)), lang)
        messages = messages[: max_parts - 1] + [note]
    elif link is not None:
        if utf16_len(visible(messages[-1])) + len(PARAGRAPH_GAP) + utf16_len(visible(link)) <= limit:
            messages[-1] += PARAGRAPH_GAP + link
        else:
            messages.append(link)
    return messages
