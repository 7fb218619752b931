"""extract_article on article pages full of furniture, Arabic and English."""

import socket
import time
from pathlib import Path

import pytest

from bot.feeds.pages import extract_article
from bot.feeds.parse import parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"

ARABIC_FURNITURE = [
    "نستخدم ملفات تعريف الارتباط", "الرئيسية", "اتصل بنا", "عاجل", "شارك على فيسبوك",
    "مقالات ذات صلة", "واشنطن تمدد العقوبات", "التعليقات", "رحم الله جميع الضحايا",
    "اترك رد", "الأكثر قراءة", "النشرة البريدية", "جميع الحقوق محفوظة", "سياسة الخصوصية",
    "dataLayer", "إعلان",
]
ENGLISH_FURNITURE = [
    "We use cookies", "Subscribe today", "Share on Facebook", "Email this story",
    "Related articles", "Residents count the cost", "Comments (3)", "Finally!",
    "Join the discussion", "Most read", "morning newsletter", "All rights reserved",
    "Privacy policy", "trackPageView",
]


def read(name):
    return (FIXTURES / name).read_bytes()


def test_arabic_page_keeps_the_article_and_drops_furniture():
    text = extract_article(read("page_arabic.html"), url="https://www.brokar.example/news/caesar")
    paragraphs = text.split("\n\n")
    assert ("كشف “قيصر” (سيزر) عن تفاصيل جديدة حول قصته في جمعه لصور آلاف الضحايا الذين قضوا"
            " تحت التعذيب في سجون النظام السوري.") in paragraphs
    assert paragraphs[-1] == (
        "جدير بالذكر أن سيزر تمكن من تهريب 55 ألف صورة لـ 11 ألف مدني قضوا تحت التعذيب في"
        " سجون النظام السوري بين عامَيْ 2011 و2013، قبل أن يتمكن من الهرب.")
    # the <h1> heading inside <article>, then its eight paragraphs
    assert paragraphs[0] == "“قيصر” يروى تفاصيل جديدة حول آلاف ضحايا النظام السوري"
    assert len(paragraphs) == 9
    for phrase in ARABIC_FURNITURE:
        assert phrase not in text, phrase


def test_english_page_keeps_the_article_and_drops_furniture():
    text = extract_article(read("page_english.html"), url="https://courier.example/news/flood")
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("The city council voted on Monday night")
    assert paragraphs[-1] == ("Work is expected to begin in the spring, once the environment"
                              " agency has completed its final review of the plans.")
    assert len(paragraphs) == 6
    for phrase in ENGLISH_FURNITURE:
        assert phrase not in text, phrase


@pytest.mark.parametrize("content_type", [None, "text/html; charset=windows-1256"])
def test_windows_1256_page_is_decoded(content_type):
    page = read("page_arabic.html").decode("utf-8")
    if content_type is None:
        page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1256">')
    else:
        page = page.replace('<meta charset="utf-8">', "")
    body = page.encode("cp1256", errors="ignore")  # curly quotes are not in cp1256
    text = extract_article(body, url="https://x.example/a", content_type=content_type)
    assert "وأوضح سيزر أنه كان يعمل مصوراً في الشرطة العسكرية" in text


def test_str_input_is_accepted():
    html = read("page_english.html").decode("utf-8")
    assert extract_article(html, url="https://courier.example/news/flood").startswith("The city")


@pytest.mark.parametrize("html", [
    b"", b"<html><body></body></html>", b"\x00\xff\xfe garbage",
    b"<html><body><p>Too short to be an article.</p></body></html>",
])
def test_nothing_useful_gives_none(html):
    assert extract_article(html, url="https://x.example/a") is None


def test_not_longer_than_the_teaser_gives_none():
    page = read("page_english.html")
    full = extract_article(page, url="https://courier.example/news/flood")
    assert extract_article(page, url="https://courier.example/news/flood", teaser=full) is None


def test_huge_page_is_cut_and_stays_quick():
    page = read("page_english.html").decode("utf-8")
    filler = "<div><p>" + "filler words here " * 50 + "</p></div>"
    body = page.replace("</footer>", "</footer>" + filler * 5000).encode()
    assert len(body) > 4_000_000
    start = time.perf_counter()
    extract_article(body, url="https://courier.example/news/flood")
    assert time.perf_counter() - start < 10


def test_no_network_is_touched(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert extract_article(read("page_english.html"), url="https://courier.example/news/flood")
    assert parse_feed(read("atom_english.xml"), url="https://courier.example/feed").entries
