"""Reading article files: the seed format, refusals, folders, idempotence."""

from pathlib import Path

import pytest

from bot.ingest.files import Refused, decode_article_bytes, parse_article
from bot.ingest.pipeline import ingest_files
from storage import open_store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED = SEEDS / "000_ce0ff37c34447af9.txt"


def test_seed_is_read_the_way_a_reader_reads_it():
    parsed = parse_article(decode_article_bytes(SEED.read_bytes()))
    assert parsed.title == "“قيصر” يروى تفاصيل جديدة حول آلاف ضحايا النظام السوري"
    assert parsed.source == "بروكار برس-وكالات"
    assert parsed.body.startswith("كشف “قيصر” (سيزر)")
    assert parsed.body.endswith("وكل ما يتعامل معهم.")
    assert "اترك رد" not in parsed.body
    assert "\u00a0" not in parsed.body
    assert all(line.strip() == line and line for line in parsed.body.split("\n"))
    assert len(parsed.body.split("\n")) == 14


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("عنوان\nنص".encode("cp1256"), "UTF-8"),
        (b"title\n" + bytes(range(1, 9)) * 50, "binary"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(Refused, match=reason):
        parse_article(decode_article_bytes(data))


def test_a_title_alone_is_not_an_article():
    with pytest.raises(Refused, match="title"):
        parse_article("Only a title\n\n\nLeave a reply")


def test_source_prefix_and_english_furniture():
    parsed = parse_article("Budget passes\nThe budget passed on Monday.\nIt was close.\nSource: Reuters\nShare this")
    assert (parsed.title, parsed.source) == ("Budget passes", "Reuters")
    assert parsed.body == "The budget passed on Monday.\nIt was close."


async def test_ingesting_folders_adds_skips_and_refuses(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("عنوان أ\nنص الخبر الأول هنا.\nمصدر أ", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("Title B\nBody of the second story.\nWire", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\x00\x00binary")
    (folder / ".hidden").write_text("ignored", encoding="utf-8")
    opened = await open_store(tmp_path / "i.db")
    store = opened.articles

    first = await ingest_files(store, [folder, SEED])
    assert [Path(name).name for name, _, _ in first.added] == ["a.txt", "b.txt", SEED.name]
    assert [(Path(name).name, reason) for name, reason in first.refused] == [("image.png", "binary file, not text")]

    second = await ingest_files(store, [folder, SEED, tmp_path / "missing.txt"])
    assert second.added == []
    assert sorted(article_id for _, article_id in second.skipped) == [1, 2, 3]
    assert ("no such file" in second.refused[-1][1])
    assert await store.count() == 3
    await opened.close()


async def test_the_first_article_stored_has_id_1(tmp_path):
    opened = await open_store(tmp_path / "first.db")
    report = await ingest_files(opened.articles, [SEEDS])
    await opened.close()
    assert report.added[0][1] == 1


@pytest.mark.e2e  # starts worker processes
async def test_bulk_ingest_in_worker_processes_keeps_order_and_deduplicates(tmp_path):
    folder = tmp_path / "bulk"
    folder.mkdir()
    for n in range(150):
        (folder / f"{n:03d}.txt").write_text(f"Story {n}\nBody of story number {n} about item {n * 7}.\nWire", encoding="utf-8")
    (folder / "150.txt").write_text("Story 0 again\nBody of story number 0 about item 0.\nWire", encoding="utf-8")
    opened = await open_store(tmp_path / "bulk.db")
    store = opened.articles
    report = await ingest_files(store, [folder], processes=2)
    assert [Path(name).name for name, _, _ in report.added] == [f"{n:03d}.txt" for n in range(150)]
    assert [article_id for _, article_id, _ in report.added] == list(range(1, 151))
    assert [(Path(name).name, article_id) for name, article_id in report.skipped] == [("150.txt", 1)]
    article = await store.get(42)
    await opened.close()
    assert article.title == "Story 41" and article.language == "en"


def test_url_date_and_source_header_lines_are_the_articles_link_time_and_source():
    parsed = parse_article(
        "URL: https://news.example/a?utm_source=x&id=5#comments\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0300\n"
        "Source: Reuters\n"
        "Flood barrier approved\n\n"
        "The council voted to approve the barrier.\n\nWork starts in spring.\n"
    )
    assert (parsed.title, parsed.url, parsed.published_at, parsed.source) == (
        "Flood barrier approved", "https://news.example/a?id=5", "2026-12-01T06:30:00Z", "Reuters")
    assert parsed.body == "The council voted to approve the barrier.\nWork starts in spring."


def test_arabic_header_lines_after_the_title_and_bad_values():
    parsed = parse_article("زلزال في الشمال\nالتاريخ: 2026-11-30T22:00:00+02:00\nالمصدر: وكالات\n\nضرب زلزال المنطقة.")
    assert (parsed.published_at, parsed.source, parsed.body) == ("2026-11-30T20:00:00Z", "وكالات", "ضرب زلزال المنطقة.")
    odd = parse_article("Title\nURL: javascript:alert(1)\nDate: someday\n\nText of the article.")
    assert (odd.url, odd.published_at, odd.body) == (None, None, "Text of the article.")
    # a line deep in the text that starts like a header stays text
    deep = parse_article("Title\nFirst paragraph.\nSecond one.\nDate: 2026-01-01 was a holiday, he said.")
    assert deep.published_at is None and "holiday" in deep.body


async def test_ingested_files_keep_their_link_and_date(tmp_path):
    (tmp_path / "a.txt").write_text("URL: https://news.example/a\nDate: 2026-12-01\nTitle A\n\nBody of A here.\n")
    (tmp_path / "b.txt").write_text("URL: https://news.example/a?utm_campaign=z\nTitle B\n\nAnother body.\n")
    store = await open_store(tmp_path / "h.db")
    try:
        report = await ingest_files(store.articles, [tmp_path / "a.txt", tmp_path / "b.txt"])
        assert len(report.added) == 1 and len(report.skipped) == 1  # the same canonical link
        article = await store.articles.get(report.added[0][1])
        assert (article.url, article.published_at) == ("https://news.example/a", "2026-12-01T00:00:00Z")
    finally:
        await store.close()
