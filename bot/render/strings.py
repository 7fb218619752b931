"""Every user-facing sentence, per language. Placeholders are filled with escaped values."""

from __future__ import annotations

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "ar": [
        ("search", "ابحث في الأخبار بكلمات"),
        ("latest", "أحدث الأخبار"),
        ("trend", "رسم بعدد الأخبار عن موضوع يوماً بيوم"),
        ("summary", "ملخص خبر برقمه"),
        ("help", "كيف أستخدم البوت"),
        ("start", "ابدأ"),
        ("subscribe", "تنبيه بالأخبار الجديدة عن موضوع"),
        ("topics", "مواضيع التنبيه في هذه المحادثة"),
        ("unsubscribe", "إلغاء موضوع تنبيه"),
        ("digest", "ملخص يومي بدل التنبيه الفوري"),
        ("timezone", "المنطقة الزمنية للملخص اليومي"),
    ],
    "en": [
        ("search", "Search the news by keywords"),
        ("latest", "Newest articles"),
        ("trend", "Chart of articles on a topic, day by day"),
        ("summary", "Summary of an article by its number"),
        ("help", "How to use the bot"),
        ("start", "Start"),
        ("subscribe", "Alerts for new articles on a topic"),
        ("topics", "This chat's alert topics"),
        ("unsubscribe", "Remove an alert topic"),
        ("digest", "A daily digest instead of instant alerts"),
        ("timezone", "Time zone of the daily digest"),
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
            "/subscribe موضوع — تنبيه بكل خبر جديد عنه، مثل: /subscribe سوريا\n"
            "/topics — مواضيع التنبيه، و /unsubscribe رقم لحذف موضوع\n"
            "/digest daily 08:00 — ملخص يومي بدل التنبيه الفوري، و /timezone Asia/Damascus\n"
            "وفي أي محادثة: اكتب اسم البوت ثم كلمات البحث لمشاركة خبر\n"
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
        "search_suggest": "هل تقصد: <code>/search {query}</code> (اضغط للنسخ)",
        "search_newest_header": "أحدث الأخبار لـ «{query}»: {first}–{last} من {total}",
        "summary_usage": "اكتب رقم الخبر بعد الأمر، مثل: /summary 1",
        "summary_bad_id": "«{value}» ليس رقم خبر. اكتب رقماً، مثل: /summary 1",
        "summary_not_found": "لا يوجد خبر بالرقم {id}.",
        "latest_header": "أحدث الأخبار",
        "latest_none": "لا أخبار مخزنة بعد.",
        "source_unknown": "مصدر غير معروف",
        "error": "حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل.",
        "unknown_command": "لا أعرف هذا الأمر. اكتب /help لقائمة الأوامر.",
        "topic_usage": "اكتب الموضوع بعد الأمر، مثل: /subscribe سوريا\nيفهم الموضوع ما يفهمه البحث: \"عبارة\" و OR و -كلمة و source: و lang:",
        "topic_no_words": "لم أجد في الموضوع كلمات أتابعها. جرّب مثل: /subscribe سوريا",
        "topic_added": "سأرسل هنا كل خبر جديد عن «{topic}». المواضيع: {count} من {limit}. /topics للقائمة.",
        "topic_exists": "«{topic}» موضوع مسجل هنا من قبل. /topics للقائمة.",
        "topic_full": "لهذه المحادثة {limit} مواضيع، وهو الحد الأقصى. احذف موضوعاً بالأمر /unsubscribe أولاً.",
        "topic_admins_only": "في المجموعات يغيّر المواضيع مشرفو المجموعة فقط. يمكن للجميع عرضها بالأمر /topics.",
        "topics_none": "لا مواضيع تنبيه هنا بعد. أضف موضوعاً، مثل: /subscribe سوريا",
        "topics_header": "مواضيع التنبيه ({count} من {limit})",
        "topics_footer": "للإلغاء: /unsubscribe رقم الموضوع",
        "topic_paused": "متوقف مؤقتاً",
        "also_reported_by": "نشره أيضاً: {sources}",
        "stats_header": "حال البوت",
        "stats_body": "الأخبار: {articles} في {stories}\nالمصادر: {sources} (متوقف {paused}، يتعثر {failing})\nالمحادثات: {active} نشطة، {inactive} متوقفة\nالمواضيع: {topics}\nالتنبيهات: أُرسل {sent}، ينتظر {pending}، تعذّر {parked}",
        "stats_errors": "آخر الأخطاء:",
        "stats_no_errors": "لا أخطاء حديثة.",
        "trend_usage": "اكتب ما تريد متابعته بعد الأمر، مثل: /trend سوريا",
        "trend_none": "لا أخبار عن «{query}» في آخر {days}.",
        "trend_caption": "«{query}»: {total} في آخر {days}.",
        "trend_title": "الأخبار عن «{query}» يوماً بيوم",
        "trend_axis": "عدد الأخبار",
        "sources_admins_only": "إدارة مصادر الأخبار لمشرفي البوت فقط.",
        "sources_none": "لا مصادر بعد. أضف موجزاً بالأمر: /addsource الرابط",
        "sources_header": "مصادر الأخبار ({count})",
        "sources_line": "{id}. {name} — {articles}، {state}",
        "sources_state_ok": "آخر جلب: {status}",
        "sources_state_failed": "فشل: {error}",
        "sources_state_paused": "متوقف بعد أخطاء متكررة: {error}",
        "sources_state_new": "لم يُجلب بعد",
        "sources_footer": "للإضافة: /addsource الرابط — للحذف: /removesource الرقم",
        "addsource_usage": "اكتب رابط الموجز (RSS أو Atom) بعد الأمر، مثل: /addsource https://example.com/feed",
        "addsource_added": "أضفت «{name}»: {entries}، منها {new}.",
        "addsource_exists": "«{name}» مصدر مسجل من قبل (رقم {id}).",
        "addsource_refused": "لم أضف {url}: {reason}",
        "removesource_usage": "اكتب رقم المصدر بعد الأمر، مثل: /removesource 1 — القائمة: /sources",
        "removesource_done": "حذفت «{name}». تبقى أخباره ({articles}) محفوظة.",
        "removesource_not_found": "لا يوجد مصدر بالرقم {id}. القائمة: /sources",
        "source_paused_notice": "توقف جلب «{name}» بعد {failures} محاولات فاشلة متتالية: {error}\nلاستئنافه: /addsource {url}",
        "unsubscribe_usage": "اكتب رقم الموضوع أو نصه بعد الأمر، مثل: /unsubscribe 1",
        "unsubscribe_not_found": "لا موضوع «{topic}» هنا. /topics للقائمة.",
        "unsubscribed": "لن أرسل تنبيهات عن «{topic}» بعد الآن.",
        "digest_usage": "للملخص اليومي: /digest daily 08:00 (بتوقيت {timezone})، ولإيقافه: /digest off",
        "digest_on": "سيصلك ملخص يومي بالأخبار المطابقة الساعة {time} بتوقيت {timezone}.",
        "digest_off": "عادت التنبيهات فورية. ما تجمّع للملخص يصلك قريباً.",
        "timezone_usage": "المنطقة الزمنية الحالية: {timezone}. لتغييرها: /timezone دمشق أو /timezone Asia/Damascus أو /timezone +3",
        "timezone_bad": "«{value}» ليست منطقة زمنية أعرفها. اكتبها مثل: دمشق أو القاهرة أو Asia/Damascus أو UTC+3",
        "timezone_set": "المنطقة الزمنية الآن {timezone}.",
        "digest_status_on": (
            "الملخص اليومي مفعّل: يصلك الساعة {time} بتوقيت {timezone}.\n"
            "لتغيير الموعد: /digest daily 20:00، وللتنبيه الفوري: /digest off، وللمنطقة الزمنية: /timezone"
        ),
        "digest_status_instant": (
            "التنبيهات فورية: يصلك كل خبر مطابق حال وصوله.\n"
            "للملخص اليومي: /digest daily 08:00 (بتوقيت {timezone})"
        ),
        "digest_bad_time": (
            "«{value}» ليس وقتاً من اليوم: الساعات من 00 إلى 23 والدقائق من 00 إلى 59. "
            "اكتبه مثل: /digest daily 08:00"
        ),
        "alert_why": "يطابق:",
        "digest_header": "ملخص الأخبار: {count}",
        "btn_more": "🔎 المزيد مثل هذا",
        "btn_pause": "⏸ إيقاف {n}",
        "btn_resume": "▶ استئناف {n}",
        "btn_remove": "✖ حذف {n}",
        "topic_muted": "أوقفت موضوع «{topic}». استأنفه من /topics",
        "topic_resumed": "استأنفت موضوع «{topic}».",
        "topic_removed": "حذفت موضوع «{topic}».",
        "button_stale": "هذا الزر لم يعد صالحاً.",
    },
    "en": {
        "welcome": "Welcome to <b>newsbot</b>: search the news and get short summaries.",
        "help": (
            "<b>Commands</b>\n"
            "/search words — search the news, e.g. /search Syria\n"
            "   \"exact phrase\", OR, -excluded, source:, lang:, since:2024-01-31\n"
            "/latest — newest articles\n"
            "/summary number — an article's summary, e.g. /summary 1\n"
            "/subscribe topic — an alert for each new article on it, e.g. /subscribe Syria\n"
            "/topics — this chat's topics; /unsubscribe number removes one\n"
            "/digest daily 08:00 — one daily digest instead of instant alerts; /timezone Asia/Damascus\n"
            "In any chat: type the bot's name, then search words, to share an article\n"
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
        "search_suggest": "Did you mean: <code>/search {query}</code> (tap to copy)",
        "search_newest_header": "Newest for “{query}”: {first}–{last} of {total}",
        "summary_usage": "Type the article number after the command, e.g. /summary 1",
        "summary_bad_id": "“{value}” is not an article number. Type a number, e.g. /summary 1",
        "summary_not_found": "There is no article number {id}.",
        "latest_header": "Newest articles",
        "latest_none": "No articles are stored yet.",
        "source_unknown": "unknown source",
        "error": "Something went wrong on our side. Please try again in a moment.",
        "unknown_command": "I don't know that command. Type /help for the list.",
        "topic_usage": "Type the topic after the command, e.g. /subscribe Syria\nTopics read like searches: \"phrase\", OR, -word, source:, lang:",
        "topic_no_words": "I found no words to follow in that topic. Try e.g. /subscribe Syria",
        "topic_added": "New articles about “{topic}” will be sent here. Topics: {count} of {limit}. /topics lists them.",
        "topic_exists": "“{topic}” is already a topic here. /topics lists them.",
        "topic_full": "This chat has {limit} topics, the most allowed. Remove one with /unsubscribe first.",
        "topic_admins_only": "In groups only the group's administrators change its topics. Anyone can see them with /topics.",
        "topics_none": "No alert topics here yet. Add one, e.g. /subscribe Syria",
        "topics_header": "Alert topics ({count} of {limit})",
        "topics_footer": "To remove: /unsubscribe topic number",
        "topic_paused": "paused",
        "also_reported_by": "Also reported by: {sources}",
        "stats_header": "Bot status",
        "stats_body": "Articles: {articles} in {stories}\nSources: {sources} ({paused} paused, {failing} failing)\nChats: {active} active, {inactive} inactive\nTopics: {topics}\nAlerts: {sent} sent, {pending} pending, {parked} failed for good",
        "stats_errors": "Latest errors:",
        "stats_no_errors": "No recent errors.",
        "trend_usage": "Type what to chart after the command, e.g. /trend Syria",
        "trend_none": "No articles about “{query}” in the last {days}.",
        "trend_caption": "“{query}”: {total} in the last {days}.",
        "trend_title": "Articles about “{query}”, day by day",
        "trend_axis": "articles",
        "sources_admins_only": "Only the bot's administrators manage its news sources.",
        "sources_none": "No sources yet. Add a feed with: /addsource URL",
        "sources_header": "News sources ({count})",
        "sources_line": "{id}. {name} — {articles}, {state}",
        "sources_state_ok": "last poll: {status}",
        "sources_state_failed": "failed: {error}",
        "sources_state_paused": "paused after repeated failures: {error}",
        "sources_state_new": "not polled yet",
        "sources_footer": "Add: /addsource URL — remove: /removesource number",
        "addsource_usage": "Put the feed's URL (RSS or Atom) after the command, e.g. /addsource https://example.com/feed",
        "addsource_added": "Added “{name}”: {entries}, {new}.",
        "addsource_exists": "“{name}” is already a source (number {id}).",
        "addsource_refused": "Not added: {url}: {reason}",
        "removesource_usage": "Put the source's number after the command, e.g. /removesource 1 — the list: /sources",
        "removesource_done": "Removed “{name}”. Its articles ({articles}) stay.",
        "removesource_not_found": "There is no source number {id}. The list: /sources",
        "source_paused_notice": "Stopped polling “{name}” after {failures} failed attempts in a row: {error}\nTo resume: /addsource {url}",
        "unsubscribe_usage": "Type the topic's number or text after the command, e.g. /unsubscribe 1",
        "unsubscribe_not_found": "There is no topic “{topic}” here. /topics lists them.",
        "unsubscribed": "No more alerts about “{topic}”.",
        "digest_usage": "For a daily digest: /digest daily 08:00 ({timezone} time); to stop it: /digest off",
        "digest_on": "You will get a daily digest of matching articles at {time}, {timezone} time.",
        "digest_off": "Alerts are instant again. What was collected for the digest comes shortly.",
        "timezone_usage": "The time zone is {timezone}. To change it: /timezone Asia/Damascus, /timezone Cairo or /timezone +3",
        "timezone_bad": "“{value}” is not a time zone I know. Write it like Asia/Damascus, Cairo, UTC+3 or GMT-5",
        "timezone_set": "The time zone is now {timezone}.",
        "digest_status_on": (
            "A daily digest is on: it comes at {time}, {timezone} time.\n"
            "To change the time: /digest daily 20:00; instant alerts: /digest off; the time zone: /timezone"
        ),
        "digest_status_instant": (
            "Alerts are instant: each matching article is sent as it arrives.\n"
            "For a daily digest: /digest daily 08:00 ({timezone} time)"
        ),
        "digest_bad_time": (
            "“{value}” is not a time of day: hours go 00–23, minutes 00–59. Write it like /digest daily 08:00"
        ),
        "alert_why": "Matched:",
        "digest_header": "News digest: {count}",
        "btn_more": "🔎 More like this",
        "btn_pause": "⏸ Pause {n}",
        "btn_resume": "▶ Resume {n}",
        "btn_remove": "✖ Remove {n}",
        "topic_muted": "Muted “{topic}”. Resume it from /topics",
        "topic_resumed": "Resumed “{topic}”.",
        "topic_removed": "Removed “{topic}”.",
        "button_stale": "This button is no longer valid.",
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
