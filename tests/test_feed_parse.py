"""parse_feed and canonical_url on hand-written feeds: every shape gives a clear outcome."""

import random
import time
from pathlib import Path

import pytest

from bot.feeds.links import canonical_url
from bot.feeds.parse import FeedEntry, NotAFeed, html_to_text, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def parse(name, url="https://feeds.example/feed", **kw):
    return parse_feed((FIXTURES / name).read_bytes(), url=url, **kw)


def test_rss2_arabic_entry_is_plain_text_with_utc_date_and_canonical_link():
    feed = parse("rss2_arabic.xml", url="https://www.brokar.example/feed")
    assert (feed.title, feed.link, feed.language) == (
        "بروكار برس - سوريا", "https://www.brokar.example/", "ar")
    assert feed.ttl_seconds == 30 * 60
    assert feed.warning is None
    first = feed.entries[0]
    assert first.guid == "brokar-10501"
    assert first.title == "“قيصر” يروى تفاصيل جديدة & نادرة"
    assert first.link == ("https://www.brokar.example/news/2026/12/01/"
                          "%D9%82%D9%8A%D8%B5%D8%B1?id=5")
    assert first.published == "2026-12-01T11:30:00Z"
    assert first.text == (
        "كشف “قيصر” (سيزر) عن تفاصيل جديدة حول قصته في جمعه لصور آلاف الضحايا الذين قضوا"
        " تحت التعذيب في سجون النظام السوري.\n\n"
        "ونقل “كلنا شركاء”، على صفحته في الفيس بوك، نقلا عن سيرز تصريحات نادرة له.\n\n"
        "وأعرب عن امتنانه لإقرار الكونغرس الأمريكي للقانون، مبدياً أمله في أن يوقف القتل"
        " وتكديس الجثث في سوريا.")
    assert "alert" not in first.text and "color" not in first.text
    assert first.teaser is False


def test_rss2_relative_link_bad_date_future_date_and_empty_item():
    entries = parse("rss2_arabic.xml", url="https://www.brokar.example/feed").entries
    assert len(entries) == 3  # the item with neither title nor text is dropped
    untexted, future = entries[1], entries[2]
    assert untexted == FeedEntry(
        guid="https://www.brokar.example/?p=10502",
        link="https://www.brokar.example/news/2026/12/01/short",
        title="عنوان بلا نص", text="", published=None, teaser=True)
    assert future.published is None
    assert future.text == "نص الخبر"


def test_atom_xml_base_dates_and_html_title():
    feed = parse("atom_english.xml")
    assert feed.title == "The Riverside Courier"
    assert feed.link == "https://courier.example/"
    assert feed.language == "en"
    assert feed.ttl_seconds is None
    barrier, scores = feed.entries
    assert barrier.link == "https://courier.example/news/flood-barrier"
    assert barrier.guid == "tag:courier.example,2026:flood-barrier"
    assert barrier.published == "2026-12-01T07:15:00Z"
    assert barrier.text == (
        "The city council voted on Monday night to approve a flood barrier along the eastern"
        " bank of the river.\n\nThe plan passed by seven votes to four.\n\nWork begins in spring.")
    assert barrier.teaser is False  # short, but it is the full content element
    assert scores.title == "Scores & results: 5 < 6"  # type="text": "<" is a character
    assert scores.link == "https://courier.example/sport/results-2026-11-30"
    assert scores.published == "2026-11-30T22:00:00Z"  # from <updated>
    assert scores.text == "United won 2-1 at home.\n\nCity drew 0-0."


def test_rdf_rss1_with_syndication_hints():
    feed = parse("rdf_rss1.xml")
    assert (feed.title, feed.language) == ("Wire Service", "en-GB")
    assert feed.ttl_seconds == 1800  # hourly, twice
    (entry,) = feed.entries
    assert entry.link == "https://wire.example/a/1?page=2"
    assert entry.published == "2026-11-30T18:45:00Z"
    assert entry.text.startswith("Dock workers extended their strike")
    assert entry.teaser is True  # a description under 400 characters


def test_windows_1256_feed_reads_as_arabic():
    body = (FIXTURES / "rss_cp1256.xml").read_bytes()
    assert "الذهب".encode("cp1256") in body and "الذهب".encode() not in body
    feed = parse_feed(body, url="http://www.alkhaleej.example/rss")
    assert feed.title == "صحيفة الخليج"
    assert feed.language == "ar-ae"
    (entry,) = feed.entries
    assert entry.title == "ارتفاع أسعار الذهب في الأسواق المحلية"
    assert entry.text.startswith("سجلت أسعار الذهب ارتفاعاً ملحوظاً")
    assert entry.published == "2026-11-30T16:00:00Z"


def test_http_charset_decides_when_the_prolog_is_silent():
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>أخبار</title><item>'
            '<title>عنوان عربي</title></item></channel></rss>').encode("cp1256")
    feed = parse_feed(body, url="https://x.example/rss",
                      content_type="application/rss+xml; charset=windows-1256")
    assert feed.title == "أخبار"
    assert feed.entries[0].title == "عنوان عربي"


def test_broken_xml_recovers_entries_before_the_break():
    feed = parse("broken.xml")
    assert [e.title for e in feed.entries] == ["First story", "Second story"]
    assert feed.entries[1].text == "The second story is complete too."
    assert feed.warning == "broken XML, 2 entries recovered"


def test_html_page_is_refused_with_its_advertised_feed():
    with pytest.raises(NotAFeed) as caught:
        parse("html_page.html", url="https://www.brokar.example/",
              content_type="text/html; charset=utf-8")
    assert caught.value.reason == "an HTML page, not a feed"
    assert caught.value.alternate == "https://www.brokar.example/feed/"


def test_html_page_without_alternate_or_content_type():
    with pytest.raises(NotAFeed) as caught:
        parse_feed(b"<!doctype html><html><body><p>Hello</p></body></html>",
                   url="https://x.example/")
    assert (caught.value.reason, caught.value.alternate) == ("an HTML page, not a feed", None)


@pytest.mark.parametrize("body", [b"", b"   \r\n\t", b"\xef\xbb\xbf\n"])
def test_empty_response(body):
    with pytest.raises(NotAFeed, match="^empty response$"):
        parse_feed(body, url="https://x.example/rss")


def test_binary_garbage_is_not_a_feed():
    body = b"\x89PNG\r\n\x1a\n" + random.Random(11).randbytes(4096)
    with pytest.raises(NotAFeed) as caught:
        parse_feed(body, url="https://x.example/rss")
    assert caught.value.reason == "not a feed: no entries and no feed title"


def test_xml_broken_before_anything_readable():
    with pytest.raises(NotAFeed) as caught:
        parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title',
                   url="https://x.example/rss")
    assert caught.value.reason == "broken XML: nothing could be read"


def test_body_naming_a_local_file_is_not_read(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_bytes((FIXTURES / "teaser_rss.xml").read_bytes())
    with pytest.raises(NotAFeed):
        parse_feed(str(secret).encode(), url="https://x.example/rss")


def test_quiet_feed_has_no_entries_and_no_error():
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>',
                      url="https://x.example/rss")
    assert (feed.title, feed.entries, feed.warning) == ("Quiet", [], None)


def test_entity_expansion_is_not_performed():
    start = time.perf_counter()
    feed = parse("billion_laughs.xml")
    assert time.perf_counter() - start < 2
    (entry,) = feed.entries
    assert len(entry.title) < 100 and "lollol" not in entry.title
    assert "root:" not in entry.text  # the external entity was not read


def test_teaser_rules():
    barrier, caesar, bridge = parse("teaser_rss.xml").entries
    assert barrier.teaser is True  # ends with "..."
    assert barrier.link == "https://courier.example/news/flood-barrier"
    assert caesar.teaser is True  # ends with "اقرأ المزيد"
    assert caesar.text == "كشف “قيصر” عن تفاصيل جديدة حول قصته. اقرأ المزيد"
    assert bridge.teaser is True  # short, no full content
    full = parse("rss2_arabic.xml").entries[0]
    assert full.teaser is False


def test_caps_bound_entries_and_text():
    items = "".join(f"<item><title>t{i}</title><description>{'x' * 10}</description></item>"
                    for i in range(520))
    huge = "<item><title>big</title><description>" + "word " * 60_000 + "</description></item>"
    body = f'<rss version="2.0"><channel><title>Many</title>{huge}{items}</channel></rss>'
    feed = parse_feed(body.encode(), url="https://x.example/rss")
    assert len(feed.entries) == 500
    assert len(feed.entries[0].text) == 200_000
    assert feed.warning == "521 entries, kept the first 500"


def test_fifty_item_feed_parses_quickly():
    body = (FIXTURES / "rss2_arabic.xml").read_text(encoding="utf-8")
    head, _, rest = body.partition("<item>")
    item, _, tail = rest.partition("</item>")
    feed_50 = head + ("<item>" + item + "</item>") * 50 + tail
    start = time.perf_counter()
    feed = parse_feed(feed_50.encode(), url="https://www.brokar.example/feed")
    assert time.perf_counter() - start < 2
    assert len(feed.entries) == 52  # 50 copies, two more items, one empty item dropped


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    markup = ("<div><p>One&nbsp;&amp; two</p><script>var x=1</script><ul><li>a</li>"
              "<li>b</li></ul>tail<br>next\x00</div>")
    assert html_to_text(markup) == "One & two\n\na\n\nb\n\ntail\n\nnext"
    assert html_to_text("plain   text") == "plain text"
    assert html_to_text("") == ""


@pytest.mark.parametrize(("url", "expected"), [
    (("https://www.aljazeera.net/news/2026/12/1/%D8%A7%D9%84%D8%B3%D9%88%D8%B1%D9%8A%D8%A9"
      "?utm_source=twitter&utm_medium=social&id=5#comments"),
     "https://www.aljazeera.net/news/2026/12/1/%D8%A7%D9%84%D8%B3%D9%88%D8%B1%D9%8A%D8%A9?id=5"),
    ("HTTP://Example.COM:80/a", "http://example.com/a"),
    (("https://Example.com:443/a/?fbclid=IwAR0&gclid=x&page=2&mc_cid=1&mc_eid=2&igshid=3"
      "&ref_src=twsrc"), "https://example.com/a/?page=2"),
    ("https://example.com/الأخبار/سوريا?p=7",
     ("https://example.com/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/"
      "%D8%B3%D9%88%D8%B1%D9%8A%D8%A7?p=7")),
    ("https://ex.example/a/%d8%a7?nid=12&b=2#top", "https://ex.example/a/%D8%A7?b=2&nid=12"),
    ("https://ex.example:8080/story?id=1", "https://ex.example:8080/story?id=1"),
    ("  https://ex.example/x?utm_campaign=a  ", "https://ex.example/x"),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
