"""The `newsbot` command: run | console | ingest | reanalyse | search | sources | fetch | summarize."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings
from bot.logs import redact, setup_logging
from bot.summaries.summarizer import ALGORITHMS

_RUN_OPTIONS = {"webhook_url": "webhook_url", "listen": "webhook_listen", "port": "webhook_port",
                "secret_token": "webhook_secret", "role": "role"}


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"db": args.db} if getattr(args, "db", None) else {}
    for option, field in _RUN_OPTIONS.items():
        if getattr(args, option, None) is not None:
            overrides[field] = getattr(args, option)
    return Settings(**overrides)


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    """No sub-command: serve Telegram when there is a token, else open the console."""
    return cmd_run(args, settings) if settings.token else cmd_console(args, settings)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token:
        print("newsbot run needs TELEGRAM_BOT_TOKEN (in the environment or .env).", file=sys.stderr)
        return 2
    from telegram.error import InvalidToken, NetworkError

    from bot.app import run_background, run_polling, run_webhook
    from bot.roles import Duties

    try:
        if not Duties.of(settings.role).receives:
            run_background(settings)
        elif settings.webhook_url:
            run_webhook(settings)
        else:
            run_polling(settings)
    except InvalidToken:
        print("newsbot: Telegram refused the bot token (TELEGRAM_BOT_TOKEN).", file=sys.stderr)
        return 2
    except NetworkError as exc:
        message = f"newsbot: cannot reach the Bot API at {settings.api_base_url}: {exc}"
        print(redact(message, (settings.token or "",)), file=sys.stderr)
        return 1
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    asyncio.run(run_console(settings, user_lang=getattr(args, "user_lang", "ar")))
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left early; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from bot.ingest.files import article_files
    from bot.ingest.pipeline import ingest_files
    from bot.services import Services
    from bot.stories.grouping import assign_stories

    paths = [Path(p) for p in args.paths]

    async def main() -> int:
        services = await Services.open(settings)
        try:
            total = sum(1 for _ in article_files(paths))
            with tqdm(total=total, unit="file", disable=None, file=sys.stderr) as bar:
                report = await ingest_files(services.articles, paths, on_progress=lambda _: bar.update())
            await assign_stories(services.store.stories)
        finally:
            await services.close()
        for name, article_id, title in report.added:
            print(f"added    {article_id:>6}  {name}  {title}")
        for name, article_id in report.skipped:
            print(f"skipped  {article_id:>6}  {name}  (already stored)")
        for name, reason in report.refused:
            print(f"refused       -  {name}  ({reason})")
        print(f"{len(report.added)} added, {len(report.skipped)} skipped, {len(report.refused)} refused")
        return 1 if report.refused else 0

    return asyncio.run(main())


def cmd_reanalyse(args: argparse.Namespace, settings: Settings) -> int:
    """Repair a store: re-derive every article's words, stems, sentences and language."""
    from tqdm import tqdm

    from bot.ingest.reanalyse import reanalyse_store
    from bot.services import Services

    async def main() -> int:
        services = await Services.open(settings)
        try:
            total = await services.articles.count()
            with tqdm(total=total, unit="article", disable=None, file=sys.stderr) as bar:
                report = await reanalyse_store(services.articles, on_progress=bar.update)
        finally:
            await services.close()
        print(f"{report.reanalysed} re-analysed, {report.changed} changed")
        return 0

    return asyncio.run(main())


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.render.articles import snippet_html
    from bot.search.engine import search_articles
    from bot.services import Services

    query = " ".join(args.query)

    async def main() -> int:
        services = await Services.open(settings)
        try:
            page = await search_articles(services.index, services.articles, query, limit=args.limit)
            shorts = {a.id: await services.summaries.short(a) for a in page.articles}
        finally:
            await services.close()
        if args.json:
            results = [
                {"id": hit.article.id, "title": hit.article.title, "source": hit.article.source,
                 "date": hit.article.date, "published": hit.article.published_at, "story": hit.article.story,
                 "language": hit.article.language, "url": hit.article.url,
                 "summary": shorts[hit.article.id], "snippet_html": snippet_html(hit.snippet), "snippet": hit.snippet.plain}
                for hit in page.hits
            ]
            print(json.dumps({"query": query, "total": page.total, "results": results}, ensure_ascii=False))
        else:
            if not page.hits:
                print(f"no results for {query!r}")
            for n, hit in enumerate(page.hits, start=1):
                a = hit.article
                print(f"{n}. [{a.id}] {a.title}\n   {a.source or '-'} · {a.date}\n   {hit.snippet.plain}")
        return 0

    return asyncio.run(main())


def cmd_summarize(args: argparse.Namespace, settings: Settings) -> int:
    from bot.summaries.cli import summarize_files, summarize_jsonl

    if args.jsonl:
        return summarize_jsonl(sys.stdin, sys.stdout, algorithm=args.algorithm)
    return summarize_files(
        args.files or ["-"],
        sys.stdout,
        sentences=args.sentences,
        words=args.words,
        algorithm=args.algorithm,
        language=None if args.language == "auto" else args.language,
    )


MAX_LIMIT = 50


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("newsbot")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _limit(value: str) -> int:
    """--limit: a whole number of results, 1 to MAX_LIMIT."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{number} is out of range: 1 to {MAX_LIMIT}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Arabic-first news search and summaries for Telegram.",
        epilog="With no command, newsbot serves Telegram when TELEGRAM_BOT_TOKEN is set, and opens "
               "the console (chat with the bot in this terminal) when it is not.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {_version()}")
    parser.add_argument("--db", help="the store: an SQLite file or a postgresql:// URL (default: $NEWSBOT_DB or ./newsbot.db)")
    parser.set_defaults(func=cmd_start, user_lang="ar")
    sub = parser.add_subparsers(dest="command")
    # --db may also come after the sub-command; SUPPRESS keeps the sub-parser from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="the store: an SQLite file or a postgresql:// URL")

    run = sub.add_parser("run", parents=[common],
                         help="serve Telegram (needs TELEGRAM_BOT_TOKEN): long polling, or a webhook")
    run.add_argument("--webhook-url", help="serve a webhook: the public HTTPS URL Telegram posts to "
                                          "($NEWSBOT_WEBHOOK_URL); without it, long polling")
    run.add_argument("--listen", help="address the webhook server listens on (default 0.0.0.0)")
    run.add_argument("--port", type=int, help="port the webhook server listens on (default 8080)")
    run.add_argument("--secret-token", help="the secret every webhook request must carry"
                                           " (default: derived from the bot token, the same in every worker)")
    run.add_argument("--role", choices=["all", "web", "sender", "fetcher"],
                     help="what this process does ($NEWSBOT_ROLE; default all): web receives updates,"
                          " sender delivers alerts, fetcher runs feed polling, matching and digests;"
                          " scheduled work runs in one process at a time")
    run.set_defaults(func=cmd_run)

    console = sub.add_parser("console", parents=[common], help="chat with the bot in this terminal")
    console.add_argument("--user-lang", choices=["ar", "en"], default="ar", help="the language you chat in")
    console.set_defaults(func=cmd_console)

    ingest = sub.add_parser("ingest", parents=[common], help="add article files or folders to the store")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="article files, or folders of them")
    ingest.set_defaults(func=cmd_ingest)

    reanalyse = sub.add_parser("reanalyse", parents=[common],
                               help="re-analyse every stored article and rewrite its index terms (repairs a store)")
    reanalyse.set_defaults(func=cmd_reanalyse)

    search = sub.add_parser("search", parents=[common], help="search the store")
    search.add_argument("query", nargs="+", help="words, \"phrases\", OR, -word, source:, lang:, since:")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=_limit, default=10, help=f"results to show, 1 to {MAX_LIMIT} (default 10)")
    search.set_defaults(func=cmd_search)

    from bot.feeds.cli import add_commands as add_feed_commands

    add_feed_commands(sub, common)

    summarize = sub.add_parser("summarize", help="summarize text files (or standard input)")
    summarize.add_argument("files", nargs="*", metavar="FILE", help="files, or - for standard input")
    length = summarize.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, help="at most this many sentences (default 3)")
    length.add_argument("--words", type=int, help="at most this many words")
    summarize.add_argument("--algorithm", default="default", choices=ALGORITHMS,
                           help="newsbot's own ranker (default), or a stock sumy one, or lead")
    summarize.add_argument("--language", default="auto", help="auto, or a language code: ar, en, fr, ...")
    summarize.add_argument("--jsonl", action="store_true", help="JSON lines in, JSON lines out")
    summarize.set_defaults(func=cmd_summarize)
    return parser


def _store_password(location: str) -> str | None:
    """The password in a postgresql:// URL: kept out of every log line, like the token."""
    from urllib.parse import unquote, urlsplit

    if not location.startswith(("postgresql://", "postgres://")):
        return None
    try:
        password = urlsplit(location).password
    except ValueError:
        return None
    return unquote(password) if password else None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:
        print(f"newsbot: bad configuration:\n{redact(str(exc))}", file=sys.stderr)
        return 2
    quiet = args.func in (cmd_console, cmd_start) and not settings.token and "NEWSBOT_LOG_LEVEL" not in os.environ
    secrets = tuple(filter(None, (settings.token, settings.webhook_secret_value, _store_password(settings.db))))
    setup_logging("WARNING" if quiet else settings.log_level, secrets=secrets)
    try:
        return args.func(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # through the redacting log handler, never Python's bare traceback
        from storage import describe_store_error, is_store_failure

        if is_store_failure(exc):  # the file's fault, not a bug: one line, no traceback
            message = f"newsbot: {describe_store_error(exc, settings.db)}"
            print(redact(message, (settings.token or "",)), file=sys.stderr)
            return 1
        logging.getLogger("newsbot").critical("newsbot stopped on an unexpected error", exc_info=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
