"""Every user-facing sentence, per language. Placeholders are filled with escaped values."""

from __future__ import annotations

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "ar": [
        ("search", "ابحث في الأخبار بكلمات"),
        ("latest", "أحدث الأخبار"),
        ("summary", "ملخص خبر برقمه"),
        ("help", "كيف أستخدم البوت"),
        ("start", "ابدأ"),
    ],
    "en": [
        ("search", "Search the news by keywords"),
        ("latest", "Newest articles"),
        ("summary", "Summary of an article by its number"),
        ("help", "How to use the bot"),
        ("start", "Start"),
    ],
}

TEXTS: dict[str, dict[str, str]] = {
    "ar": {
        "welcome": "أهلاً بك في <b>نيوزبوت</b>: ابحث في الأخبار واحصل على ملخصات قصيرة.",
        "help": (
            "<b>الأوامر</b>\n"
            "/search كلمات — ابحث في الأخبار، مثل: /search سوريا\n"
            "   عبارة بين علامتي تنصيص \"...\"، أو OR، و-كلمة لاستبعادها، و source: و lang: و since:2024-01-31\n"
            "/latest — أحدث الأخبار\n"
            "/summary رقم — ملخص خبر، مثل: /summary 1\n"
            "/help — هذه الرسالة"
        ),
        "search_usage": "اكتب كلمات البحث بعد الأمر، مثل: /search سوريا",
        "search_no_words": "لم أجد كلمات أبحث عنها في طلبك. جرّب كلمات مثل: /search سوريا",
        "search_none": "لا نتائج لـ «{query}».",
        "search_header": "نتائج «{query}»: {first}–{last} من {total}",
        "search_no_more": "لا مزيد من النتائج لـ «{query}».",
        "search_ignored": "تجاهلت: {filters} (التاريخ بصيغة since:2024-01-31، واللغة lang:ar أو lang:en)",
        "search_only_excluded": "اكتب كلمة واحدة على الأقل تبحث عنها، لا كلمات مستبعدة فقط.",
        "page_previous": "◀ السابق",
        "page_next": "التالي ▶",
        "page_expired": "انتهت صلاحية هذا الزر. ابحث من جديد.",
        "search_truncated": "استخدمت أول {count} كلمة من طلبك فقط.",
        "summary_usage": "اكتب رقم الخبر بعد الأمر، مثل: /summary 1",
        "summary_bad_id": "«{value}» ليس رقم خبر. اكتب رقماً، مثل: /summary 1",
        "summary_not_found": "لا يوجد خبر بالرقم {id}.",
        "summary_header": "ملخص الخبر {id}",
        "latest_header": "أحدث الأخبار",
        "latest_none": "لا أخبار مخزنة بعد.",
        "source_unknown": "مصدر غير معروف",
        "open_summary": "الملخص",
        "error": "حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل.",
        "unknown_command": "لا أعرف هذا الأمر. اكتب /help لقائمة الأوامر.",
        "plain_text_hint": "للبحث اكتب: /search ثم كلماتك.",
    },
    "en": {
        "welcome": "Welcome to <b>newsbot</b>: search the news and get short summaries.",
        "help": (
            "<b>Commands</b>\n"
            "/search words — search the news, e.g. /search Syria\n"
            "   \"exact phrase\", OR, -excluded, source:, lang:, since:2024-01-31\n"
            "/latest — newest articles\n"
            "/summary number — an article's summary, e.g. /summary 1\n"
            "/help — this message"
        ),
        "search_usage": "Type your search words after the command, e.g. /search Syria",
        "search_no_words": "I found no words to search for in that. Try words, e.g. /search Syria",
        "search_none": "No results for “{query}”.",
        "search_header": "Results for “{query}”: {first}–{last} of {total}",
        "search_no_more": "No more results for “{query}”.",
        "search_ignored": "Ignored: {filters} (dates as since:2024-01-31, languages as lang:ar or lang:en)",
        "search_only_excluded": "Type at least one word to look for, not only words to exclude.",
        "page_previous": "◀ Previous",
        "page_next": "Next ▶",
        "page_expired": "This button has expired. Please search again.",
        "search_truncated": "Only the first {count} words of your query were used.",
        "summary_usage": "Type the article number after the command, e.g. /summary 1",
        "summary_bad_id": "“{value}” is not an article number. Type a number, e.g. /summary 1",
        "summary_not_found": "There is no article number {id}.",
        "summary_header": "Summary of article {id}",
        "latest_header": "Newest articles",
        "latest_none": "No articles are stored yet.",
        "source_unknown": "unknown source",
        "open_summary": "Summary",
        "error": "Something went wrong on our side. Please try again in a moment.",
        "unknown_command": "I don't know that command. Type /help for the list.",
        "plain_text_hint": "To search, type /search and then your words.",
    },
}


def language_for(code: str | None) -> str:
    """The UI language for a Telegram `language_code`: Arabic first, English for the rest."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def text(lang: str, key: str, **values: object) -> str:
    template = TEXTS.get(lang, TEXTS[DEFAULT_LANGUAGE])[key]
    return template.format(**values) if values else template
