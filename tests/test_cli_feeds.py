"""`newsbot sources ...`, `newsbot fetch` and `newsbot search --json` as a user runs them,
against feeds a local server serves (NEWSBOT_FETCH_ALLOW_PRIVATE=1, as a local setup needs)."""

import json
import subprocess
import sys

import pytest

from tests.support.bot_process import clean_env
from tests.support.feed_server import static

pytestmark = pytest.mark.e2e  # every test here runs the real `newsbot` command

STORY = ("ضرب زلزال بقوة ست درجات المناطق الشمالية فجر اليوم، وشعر به سكان المدن المجاورة. وقالت "
         "هيئة الأرصاد إن مركز الزلزال كان على عمق عشرة كيلومترات، وإن فرق الإنقاذ انتشرت في القرى "
         "الجبلية لتفقد الأضرار، ولم تسجل إصابات بحسب الدفاع المدني.")


def newsbot(*args, tmp_path, **env):
    environ = clean_env(NEWSBOT_DB=str(tmp_path / "cli.db"), NEWSBOT_SEEDS=str(tmp_path / "none"),
                        NEWSBOT_FETCH_ALLOW_PRIVATE="1", NEWSBOT_FETCH_TIMEOUT="3", **env)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, check=False,
                          env=environ, cwd=tmp_path, timeout=120)


def feed(title: str, link: str, text: str = STORY, headline: str = "زلزال في الشمال") -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<item><title>{headline}</title><link>{link}</link><description>{text}</description>"
            "<pubDate>Tue, 01 Dec 2026 09:30:00 +0300</pubDate></item></channel></rss>").encode()


def test_sources_from_add_to_export_import_and_remove(tmp_path, feed_server):
    feed_server.routes["/a"] = static(feed("وكالة الأنباء", "https://agency.example/q?utm_source=rss"), etag='"1"')
    feed_server.routes["/b"] = static(feed("صحيفة المساء", "https://paper.example/q",
                                           STORY.replace("فجر اليوم", "صباح اليوم") + " وتابعت السلطات الوضع.",
                                           "زلزال قوي يهز الشمال"))
    added = newsbot("sources", "add", feed_server.url("/a"), tmp_path=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "وكالة الأنباء" in added.stdout and "زلزال في الشمال" in added.stdout
    refused = newsbot("sources", "add", feed_server.url("/missing"), tmp_path=tmp_path)
    assert refused.returncode == 1 and "HTTP 404" in refused.stderr
    assert newsbot("sources", "add", feed_server.url("/b"), "--name", "المساء", tmp_path=tmp_path).returncode == 0

    listed = json.loads(newsbot("sources", "list", "--json", tmp_path=tmp_path).stdout)
    assert [(s["name"], s["articles"]) for s in listed] == [("وكالة الأنباء", 1), ("المساء", 1)]

    fetched = json.loads(newsbot("fetch", "--all", "--json", tmp_path=tmp_path).stdout)
    assert [(r["status"], r["new"]) for r in fetched] == [("unchanged", 0), ("new", 0)]

    results = json.loads(newsbot("search", "الزلازل", "--json", tmp_path=tmp_path).stdout)["results"]
    assert {r["url"] for r in results} == {"https://agency.example/q", "https://paper.example/q"}
    assert {r["published"] for r in results} == {"2026-12-01T06:30:00Z"}
    assert {r["source"] for r in results} == {"وكالة الأنباء", "المساء"}
    assert len({r["story"] for r in results}) == 1  # one story from two outlets

    opml = newsbot("sources", "export", tmp_path=tmp_path).stdout
    assert opml.count("<outline") == 2 and feed_server.url("/a") in opml
    (tmp_path / "subs.opml").write_text(opml.replace("/a", "/c"), encoding="utf-8")
    imported = newsbot("sources", "import", str(tmp_path / "subs.opml"), tmp_path=tmp_path)
    assert imported.returncode == 0 and "1 added, 1 already sources" in imported.stdout

    removed = newsbot("sources", "remove", "1", tmp_path=tmp_path)
    assert removed.returncode == 0 and "removed [1]" in removed.stdout
    left = json.loads(newsbot("sources", "list", "--json", tmp_path=tmp_path).stdout)
    assert [s["id"] for s in left] == [2, 3]
    fetched = newsbot("fetch", "--all", tmp_path=tmp_path).stdout
    assert "failed (HTTP 404" in fetched  # /c does not exist: said, not raised
