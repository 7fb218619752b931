"""The `newsbot` command as a user runs it: console, ingest, search, summarize."""

import json
import subprocess
import sys

import pytest

from tests.support import SEEDS
from tests.support.bot_process import clean_env

pytestmark = pytest.mark.e2e  # every test here runs the real `newsbot` command

SEED = SEEDS / "000_ce0ff37c34447af9.txt"


def newsbot(*args, stdin="", tmp_path, env=None):
    environ = clean_env(NEWSBOT_DB=str(tmp_path / "cli.db"), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin, capture_output=True, text=True, cwd=tmp_path, env=environ, timeout=120,
    )


def test_piped_console_answers_search_and_summary_from_the_seeded_store(tmp_path):
    result = newsbot("console", stdin="/search سوريا\n/summary 1\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "“قيصر” يروى تفاصيل جديدة حول آلاف ضحايا النظام السوري" in out
    assert "بروكار برس-وكالات" in out
    assert "/summary_1" in out
    assert "•" in out  # the summary's sentences
    assert "<b>" not in out and "&amp;" not in out and "\u200f" not in out  # rendered as plain text
    assert (tmp_path / "cli.db").exists()


def test_console_bad_input_gets_clear_answers(tmp_path):
    lines = ["/search", "/search " + "x" * 10_000, '/search " * NEAR AND ( -', "/summary 999999",
             "/summary abc", "/summary", "/nonsense", "hello"]
    result = newsbot("console", "--user-lang", "en", stdin="\n".join(lines) + "\n/summary 1\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Type your search words after the command" in out
    assert "There is no article number 999999." in out
    assert "“abc” is not an article number" in out
    assert "Type the article number after the command" in out
    assert "I don't know that command" in out
    assert "No results for “hello”" in out  # plain words are a search
    assert "Traceback" not in result.stderr and "Something went wrong" not in out
    assert "“قيصر”" in out  # the store survived all of it


def test_ingest_reports_added_skipped_and_refused(tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    latin1 = tmp_path / "old.txt"
    latin1.write_bytes("Caf\xe9 news\nBody text.".encode("latin-1"))
    result = newsbot("ingest", str(SEED), str(binary), str(latin1), tmp_path=tmp_path)
    assert result.returncode == 1  # something was refused
    assert "added         1" in result.stdout
    assert "photo.jpg  (binary file, not text)" in result.stdout
    assert "old.txt  (not UTF-8 text" in result.stdout
    again = newsbot("ingest", str(SEED), tmp_path=tmp_path)
    assert again.returncode == 0
    assert "skipped       1" in again.stdout and "0 added, 1 skipped, 0 refused" in again.stdout


def test_search_json(tmp_path):
    assert newsbot("ingest", str(SEED), tmp_path=tmp_path).returncode == 0  # search itself adds no seeds
    result = newsbot("search", "سوريا", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 1
    assert data["results"][0]["id"] == 1
    assert data["results"][0]["summary"]


def test_summarize_jsonl_keeps_order_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": SEED.read_text(encoding="utf-8"), "sentences": 2}),
        "not json",
        json.dumps({"id": "b", "text": 5}),
        json.dumps({"id": "c", "text": "One sentence only."}),
    ]
    result = newsbot("summarize", "--jsonl", stdin="\n".join(lines) + "\n", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "b", "c"]
    assert out[0]["language"] == "ar" and len(out[0]["sentences"]) == 2
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["sentences"] == ["One sentence only."]


def test_run_without_a_token_says_what_is_missing(tmp_path):
    result = newsbot("run", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr


def test_summarize_files_one_sentence_per_line_with_headers(tmp_path):
    english = tmp_path / "en.txt"
    english.write_text(
        "The council met on Monday. Mr. Smith said the U.S. plan costs $2.5 billion. "
        "Critics disagreed with the plan. The vote is next week.", encoding="utf-8")
    result = newsbot("summarize", "--sentences", "2", str(SEED), str(english), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    arabic_part, english_part = result.stdout.split(f"\n==> {english} <==\n")
    arabic_lines = arabic_part.strip().splitlines()
    assert len(arabic_lines) == 2
    assert all(line in SEED.read_text(encoding="utf-8") and line.endswith((".", "”.")) for line in arabic_lines)
    sentences = {"The council met on Monday.", "Mr. Smith said the U.S. plan costs $2.5 billion.",
                 "Critics disagreed with the plan.", "The vote is next week."}
    english_lines = english_part.strip().splitlines()
    assert len(english_lines) == 2 and set(english_lines) <= sentences  # whole sentences, not cut at "Mr."


def test_summarize_reads_standard_input_and_rejects_unknown_algorithms(tmp_path):
    piped = newsbot("summarize", "--words", "30", "-", stdin=SEED.read_text(encoding="utf-8"), tmp_path=tmp_path)
    assert piped.returncode == 0 and piped.stdout.strip()
    unknown = newsbot("summarize", "--algorithm", "magic", "-", stdin="text", tmp_path=tmp_path)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


def test_run_against_an_unreachable_api_says_so_without_the_token(tmp_path):
    token = "123456789:AAHfakeTokenValueThatIsLongEnough_xyz"
    result = newsbot("run", tmp_path=tmp_path,
                     env={"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "cannot reach the Bot API at http://127.0.0.1:9/bot" in result.stderr
    assert token not in result.stderr + result.stdout
    assert token.split(":")[1] not in result.stderr + result.stdout


def test_console_piped_into_a_reader_that_leaves_early_stops_quietly(tmp_path):
    environ = clean_env(NEWSBOT_DB=str(tmp_path / "cli.db"))
    console = subprocess.Popen([sys.executable, "-m", "bot.cli", "console"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=environ)
    console.stdin.write(("/start\n/search سوريا\n/summary 1\n" * 5).encode())
    console.stdin.close()
    assert console.stdout.readline()
    console.stdout.close()  # like `newsbot console | head -1`
    err = console.stderr.read()
    console.wait(timeout=120)
    assert console.returncode == 0
    assert b"Traceback" not in err and b"Broken pipe" not in err


def test_search_takes_several_words_without_quotes(tmp_path):
    assert newsbot("ingest", str(SEEDS), tmp_path=tmp_path).returncode == 0
    found = newsbot("search", "سوريا", "قيصر", "--json", tmp_path=tmp_path)
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["query"] == "سوريا قيصر" and result["total"] == 1
    refused = newsbot("search", "x", "--limit", "0", tmp_path=tmp_path)
    assert refused.returncode == 2 and "out of range" in refused.stderr
