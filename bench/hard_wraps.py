"""Hard-wrapped text: sentences broken at line ends, in the splitter and in summaries.

Usage:
    python -m bench.hard_wraps [--eval DIR] [--every K] [--tree PATH]

Each article file is read as `newsbot summarize` reads it (bot.summaries.cli.split_title:
title line, body from bot.ingest.files.parse_article), then
- `split` counts the sentences of bot.text.split_sentences over the body,
- `summary` counts the sentences of the default summary (3 sentences) that the command prints.
A sentence is *broken* when its text holds a line break (a half-line shown on its own line),
ends in `،` / `,` (cut at a line end mid-sentence), or ends without a sentence terminator
(`unterminated`: the fragment left when a line end cut it; headings count here too, so this
is never 0). Sets: EASC articles as they are (several are hard-wrapped at ~75 columns, raggedly),
BBC articles as they are, and BBC articles hard-wrapped at 70 columns with textwrap, with the
blank lines between paragraphs kept (`bbc_wrap70`) and dropped (`bbc_wrap70_noblank`).

`--tree PATH` also measures another checkout (e.g. a `git worktree` of HEAD) in a subprocess
with `PYTHONPATH=PATH`, as the baseline: the JSON then holds {"baseline": ..., "this": ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

DEFAULT_EVAL = (Path(__file__).resolve().parents[1] / ".." / "shared" / "eval").resolve()
_TERMINATORS = ".!?؟…"
_CLOSERS = "\"'”’»)]}›"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig", errors="replace")


def easc_files(root: Path) -> Iterator[str]:
    for topic in sorted((root / "easc" / "Articles").iterdir(), key=lambda p: int(p.name.removeprefix("Topic"))):
        yield _read(next(p for p in sorted(topic.iterdir()) if p.is_file()))


def bbc_files(root: Path) -> Iterator[str]:
    for category in sorted(p for p in (root / "bbc" / "articles").iterdir() if p.is_dir()):
        for path in sorted(category.glob("*.txt")):
            yield _read(path)


def wrap(text: str, width: int = 70, blank: bool = True) -> str:
    """A BBC file hard-wrapped at `width`: title line, then each paragraph filled."""
    title, _, body = text.partition("\n")
    paragraphs = [textwrap.fill(p.strip(), width) for p in body.split("\n") if p.strip()]
    return title.strip() + "\n\n" + ("\n\n" if blank else "\n").join(paragraphs) + "\n"


def _kinds(sentence: str) -> list[str]:
    kinds = []
    if "\n" in sentence or "\r" in sentence:
        kinds.append("line_break")
    if sentence.rstrip()[-1:] in "،,":
        kinds.append("ends_in_comma")
    if sentence.rstrip(_CLOSERS + " ")[-1:] not in _TERMINATORS:
        kinds.append("unterminated")
    return kinds


def measure(texts: list[str]) -> dict[str, dict[str, int]]:
    from bot.summaries.cli import split_title
    from bot.summaries.summarizer import summarize
    from bot.text import detect_language, split_sentences

    counts = {part: {"sentences": 0, "line_break": 0, "ends_in_comma": 0, "unterminated": 0}
              for part in ("split", "summary")}
    for text in texts:
        title, body = split_title(text)
        language = detect_language(f"{title}\n{body}" if title else body)
        found = [s.text for s in split_sentences(body, language)]
        summary = summarize(body, title=title, language=language).sentences
        for part, sentences in (("split", found), ("summary", summary)):
            counts[part]["sentences"] += len(sentences)
            for sentence in sentences:
                for kind in _kinds(sentence):
                    counts[part][kind] += 1
    return counts


def run(root: Path, every: int) -> dict[str, object]:
    easc = list(easc_files(root))[::every]
    bbc = list(bbc_files(root))[::every]
    sets = {"easc": easc, "bbc": bbc, "bbc_wrap70": [wrap(t) for t in bbc],
            "bbc_wrap70_noblank": [wrap(t, blank=False) for t in bbc]}
    return {name: {"articles": len(texts), **measure(texts)} for name, texts in sets.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="sentences broken at hard-wrapped line ends")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the shared eval folder")
    parser.add_argument("--every", type=int, default=1, help="use every K-th article (quick runs)")
    parser.add_argument("--tree", type=Path, help="another checkout to measure as the baseline")
    parser.add_argument("--this-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    here = run(args.eval, args.every)
    if args.tree is None or args.this_only:
        print(json.dumps(here, ensure_ascii=False, indent=1))
        return
    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve())}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--eval", str(args.eval), "--every", str(args.every),
         "--this-only"], env=env, cwd=args.tree, capture_output=True, text=True, check=True)
    print(json.dumps({"baseline": {"tree": str(args.tree), **json.loads(done.stdout)}, "this": here},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
