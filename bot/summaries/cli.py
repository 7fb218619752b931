"""`newsbot summarize`: files or JSON lines in, summaries out, in one process."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.ingest.files import Refused, parse_article
from bot.summaries.summarizer import summarize

_LENGTH_KEYS = ("sentences", "words", "ratio")


def summarize_files(names: Iterable[str], out: TextIO, *, sentences: int | None, words: int | None,
                    algorithm: str, language: str | None) -> int:
    """Print each file's summary, one sentence per line; files after the first get a header."""
    status = 0
    for index, name in enumerate(names):
        if index:
            out.write(f"\n==> {name} <==\n")
        try:
            data = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"newsbot summarize: {name}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            status = 1
            continue
        title, body = split_title(text)
        result = summarize(body, title=title, language=language, sentences=sentences, words=words,
                           algorithm=algorithm)
        for sentence in result.sentences:
            out.write(sentence + "\n")
    return status


def split_title(text: str) -> tuple[str | None, str]:
    """An article file's title and text, read as `newsbot ingest` reads them.

    A first line that ends like a sentence is text, not a title: plain prose keeps it.
    """
    first = text.lstrip().split("\n", 1)[0].strip()
    if first.endswith((".", "!", "?", "؟", ":")):
        return None, text
    try:
        parsed = parse_article(text)
    except Refused:
        return None, text
    return parsed.title, parsed.body


def _summarize_record(line: str, algorithm: str) -> dict:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    lengths = {k: record[k] for k in _LENGTH_KEYS if record.get(k) is not None}
    if len(lengths) > 1:
        raise ValueError("give at most one of sentences, words, ratio")
    for key, value in lengths.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f'"{key}" must be a positive number')
        if key != "ratio":
            lengths[key] = int(value)
    result = summarize(
        text,
        title=record.get("title") if isinstance(record.get("title"), str) else None,
        language=record.get("language") if isinstance(record.get("language"), str) else None,
        algorithm=algorithm,
        **lengths,
    )
    return {"id": record.get("id"), "language": result.language, "sentences": result.sentences}


def summarize_jsonl(lines: TextIO, out: TextIO, *, algorithm: str) -> int:
    """One output line per input line, in order; a bad line gets an error object, the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            answer = _summarize_record(line, algorithm)
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            ident = None
            try:
                ident = json.loads(line).get("id")
            except Exception:
                pass
            answer = {"id": ident, "line": number, "error": str(exc)}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return 0
