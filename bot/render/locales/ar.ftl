# newsbot's Arabic interface. Keys are shared with en.ftl; placeables { $name } are filled
# with values the code has already escaped for Telegram HTML. Counts select CLDR's six
# Arabic plural categories: zero, one, two, few (3-10), many (11-99), other (100-102...).

## Command menu descriptions
command_search = ابحث في الأخبار بكلمات
command_latest = أحدث الأخبار
command_trend = رسم بعدد الأخبار عن موضوع يوماً بيوم
command_summary = ملخص خبر برقمه
command_read = النص الكامل لخبر برقمه
command_help = كيف أستخدم البوت
command_start = ابدأ
command_subscribe = تنبيه بالأخبار الجديدة عن موضوع
command_topics = مواضيع التنبيه في هذه المحادثة
command_unsubscribe = إلغاء موضوع تنبيه
command_digest = ملخص يومي بدل التنبيه الفوري
command_timezone = المنطقة الزمنية للملخص اليومي
command_language = لغة البوت: العربية أو English

## Messages and buttons
welcome = أهلاً بك في <b>نيوزبوت</b>: ابحث في الأخبار واحصل على ملخصات قصيرة.
help =
    <b>الأوامر</b>
    /search كلمات — ابحث في الأخبار، مثل: /search سوريا
    {"   "}عبارة بين علامتي تنصيص "..."، أو OR، و-كلمة لاستبعادها، و source: و lang: و since:2024-01-31
    /latest — أحدث الأخبار
    /summary رقم — ملخص خبر، مثل: /summary 1
    /read رقم — النص الكامل لخبر، مثل: /read 1
    /subscribe موضوع — تنبيه بكل خبر جديد عنه، مثل: /subscribe سوريا
    /topics — مواضيع التنبيه، و /unsubscribe رقم لحذف موضوع
    /digest daily 08:00 — ملخص يومي بدل التنبيه الفوري، و /timezone Asia/Damascus
    وفي أي محادثة: اكتب اسم البوت ثم كلمات البحث لمشاركة خبر
    /language — لغة البوت (العربية أو English)
    /help — هذه الرسالة
search_usage = اكتب كلمات البحث بعد الأمر، مثل: /search سوريا
search_no_words = لم أجد كلمات أبحث عنها في طلبك. جرّب كلمات مثل: /search سوريا
search_none = لا نتائج لـ «{ $query }».
search_header = نتائج «{ $query }»: { $first }–{ $last } من { $total }
search_no_more = لا مزيد من النتائج لـ «{ $query }».
search_ignored = تجاهلت: { $filters } (التاريخ بصيغة since:2024-01-31، واللغة lang:ar أو lang:en)
search_only_excluded = اكتب كلمة واحدة على الأقل تبحث عنها، لا كلمات مستبعدة فقط.
page_previous = ◀ السابق
page_next = التالي ▶
page_expired = انتهت صلاحية هذا الزر. ابحث من جديد.
search_truncated =
    { $count ->
        [zero] لم أستخدم أي كلمة من طلبك.
        [one] استخدمت أول كلمة من طلبك فقط.
        [two] استخدمت أول كلمتين من طلبك فقط.
        [few] استخدمت أول { $count } كلمات من طلبك فقط.
        [many] استخدمت أول { $count } كلمة من طلبك فقط.
       *[other] استخدمت أول { $count } كلمة من طلبك فقط.
    }
search_suggest = هل تقصد: <code>/search { $query }</code> (اضغط للنسخ)
search_newest_header = أحدث الأخبار لـ «{ $query }»: { $first }–{ $last } من { $total }
summary_usage = اكتب رقم الخبر بعد الأمر، مثل: /summary 1
summary_bad_id = «{ $value }» ليس رقم خبر. اكتب رقماً، مثل: /summary 1
summary_not_found = لا يوجد خبر بالرقم { $id }.
latest_header = أحدث الأخبار
latest_none = لا أخبار مخزنة بعد.
source_unknown = مصدر غير معروف
error = حدث خطأ غير متوقع. حاول مرة أخرى بعد قليل.
unknown_command = لا أعرف هذا الأمر. اكتب /help لقائمة الأوامر.
topic_usage =
    اكتب الموضوع بعد الأمر، مثل: /subscribe سوريا
    يفهم الموضوع ما يفهمه البحث: "عبارة" و OR و -كلمة و source: و lang:
topic_no_words = لم أجد في الموضوع كلمات أتابعها. جرّب مثل: /subscribe سوريا
topic_added =
    سأرسل هنا كل خبر جديد عن «{ $topic }». المواضيع هنا: { $count } من { $limit } { $limit ->
        [one] موضوع
        [two] موضوعين
        [few] مواضيع
        [many] موضوعاً
       *[other] موضوع
    } على الأكثر. /topics للقائمة.
topic_exists = «{ $topic }» موضوع مسجل هنا من قبل. /topics للقائمة.
topic_full =
    { $limit ->
        [zero] لا تقبل هذه المحادثة مواضيع تنبيه.
        [one] لهذه المحادثة موضوع واحد، وهو الحد الأقصى. احذفه بالأمر /unsubscribe أولاً.
        [two] لهذه المحادثة موضوعان، وهو الحد الأقصى. احذف موضوعاً بالأمر /unsubscribe أولاً.
        [few] لهذه المحادثة { $limit } مواضيع، وهو الحد الأقصى. احذف موضوعاً بالأمر /unsubscribe أولاً.
        [many] لهذه المحادثة { $limit } موضوعاً، وهو الحد الأقصى. احذف موضوعاً بالأمر /unsubscribe أولاً.
       *[other] لهذه المحادثة { $limit } موضوع، وهو الحد الأقصى. احذف موضوعاً بالأمر /unsubscribe أولاً.
    }
topic_admins_only = في المجموعات يغيّر المواضيع مشرفو المجموعة فقط. يمكن للجميع عرضها بالأمر /topics.
topics_none = لا مواضيع تنبيه هنا بعد. أضف موضوعاً، مثل: /subscribe سوريا
topics_header = مواضيع التنبيه ({ $count } من { $limit })
topics_footer = للإلغاء: /unsubscribe رقم الموضوع
topic_paused = متوقف مؤقتاً
also_reported_by = نشره أيضاً: { $sources }
stats_header = حال البوت
stats_body =
    الأخبار: { $articles } في { $stories }
    المصادر: { $sources } (متوقف { $paused }، يتعثر { $failing })
    المحادثات: نشطة { $active }، متوقفة { $inactive }
    المواضيع: { $topics }
    التنبيهات: أُرسل { $sent }، ينتظر { $pending }، تعذّر { $parked }
stats_errors = آخر الأخطاء:
stats_no_errors = لا أخطاء حديثة.
trend_usage = اكتب ما تريد متابعته بعد الأمر، مثل: /trend سوريا
trend_none = لا أخبار عن «{ $query }» في آخر { $days }.
trend_caption = «{ $query }»: { $total } في آخر { $days }.
trend_title = الأخبار عن «{ $query }» يوماً بيوم
trend_axis = عدد الأخبار
sources_admins_only = إدارة مصادر الأخبار لمشرفي البوت فقط.
sources_none = لا مصادر بعد. أضف موجزاً بالأمر: /addsource الرابط
sources_header = مصادر الأخبار ({ $count })
sources_line = { $id }. { $name } — { $articles }، { $state }
sources_state_ok = آخر جلب: { $status }، { $when }
sources_state_failed = فشل: { $error }
sources_state_paused = متوقف بعد أخطاء متكررة: { $error }
sources_state_new = لم يُجلب بعد
sources_footer = للإضافة: /addsource الرابط — للحذف: /removesource الرقم
addsource_usage = اكتب رابط الموجز (RSS أو Atom) بعد الأمر، مثل: /addsource https://example.com/feed
addsource_added = أضفت «{ $name }»: { $entries }، منها { $new }.
addsource_exists = «{ $name }» مصدر مسجل من قبل (رقم { $id }).
addsource_refused = لم أضف { $url }: { $reason }
removesource_usage = اكتب رقم المصدر بعد الأمر، مثل: /removesource 1 — القائمة: /sources
removesource_done =
    حذفت «{ $name }». { $articles ->
        [zero] لم يكن له أخبار محفوظة.
        [one] يبقى خبره الوحيد محفوظاً.
        [two] يبقى خبراه محفوظين.
        [few] تبقى أخباره الـ{ $articles } محفوظة.
        [many] تبقى أخباره ({ $articles } خبراً) محفوظة.
       *[other] تبقى أخباره ({ $articles } خبر) محفوظة.
    }
removesource_not_found = لا يوجد مصدر بالرقم { $id }. القائمة: /sources
source_paused_notice =
    توقف جلب «{ $name }» بعد { $failures ->
        [zero] أخطاء متتالية
        [one] محاولة فاشلة
        [two] محاولتين فاشلتين متتاليتين
        [few] { $failures } محاولات فاشلة متتالية
        [many] { $failures } محاولة فاشلة متتالية
       *[other] { $failures } محاولة فاشلة متتالية
    }: { $error }
    لاستئنافه: /addsource { $url }
unsubscribe_usage = اكتب رقم الموضوع أو نصه بعد الأمر، مثل: /unsubscribe 1
unsubscribe_not_found = لا موضوع «{ $topic }» هنا. /topics للقائمة.
unsubscribed = لن أرسل تنبيهات عن «{ $topic }» بعد الآن.
digest_usage = للملخص اليومي: /digest daily 08:00 (بتوقيت { $timezone })، ولإيقافه: /digest off
digest_on = سيصلك ملخص يومي بالأخبار المطابقة الساعة { $time } بتوقيت { $timezone }.
digest_off = عادت التنبيهات فورية. ما تجمّع للملخص يصلك قريباً.
timezone_usage = المنطقة الزمنية الحالية: { $timezone }. لتغييرها: /timezone دمشق أو /timezone Asia/Damascus أو /timezone +3
timezone_bad = «{ $value }» ليست منطقة زمنية أعرفها. اكتبها مثل: دمشق أو القاهرة أو Asia/Damascus أو UTC+3
timezone_set = المنطقة الزمنية الآن { $timezone }.
digest_status_on =
    الملخص اليومي مفعّل: يصلك الساعة { $time } بتوقيت { $timezone }.
    لتغيير الموعد: /digest daily 20:00، وللتنبيه الفوري: /digest off، وللمنطقة الزمنية: /timezone
digest_status_instant =
    التنبيهات فورية: يصلك كل خبر مطابق حال وصوله.
    للملخص اليومي: /digest daily 08:00 (بتوقيت { $timezone })
digest_bad_time = «{ $value }» ليس وقتاً من اليوم: الساعات من 00 إلى 23 والدقائق من 00 إلى 59. اكتبه مثل: /digest daily 08:00
alert_why = يطابق:
digest_header =
    ملخص الأخبار: { $count ->
        [zero] لا أخبار
        [one] خبر واحد
        [two] خبران
        [few] { $count } أخبار
        [many] { $count } خبراً
       *[other] { $count } خبر
    }
btn_more = 🔎 المزيد مثل هذا
btn_pause = ⏸ إيقاف { $n }
btn_resume = ▶ استئناف { $n }
btn_remove = ✖ حذف { $n }
topic_muted = أوقفت موضوع «{ $topic }». استأنفه من /topics
topic_resumed = استأنفت موضوع «{ $topic }».
topic_removed = حذفت موضوع «{ $topic }».
button_stale = هذا الزر لم يعد صالحاً.

## Counted nouns: { $n } of them
count_article =
    { $n ->
        [zero] لا أخبار
        [one] خبر واحد
        [two] خبران
        [few] { $n } أخبار
        [many] { $n } خبراً
       *[other] { $n } خبر
    }
count_new_article =
    { $n ->
        [zero] لا أخبار جديدة
        [one] خبر جديد واحد
        [two] خبران جديدان
        [few] { $n } أخبار جديدة
        [many] { $n } خبراً جديداً
       *[other] { $n } خبر جديد
    }
count_entry =
    { $n ->
        [zero] لا عناصر
        [one] عنصر واحد
        [two] عنصران
        [few] { $n } عناصر
        [many] { $n } عنصراً
       *[other] { $n } عنصر
    }
count_story =
    { $n ->
        [zero] لا قصص
        [one] قصة واحدة
        [two] قصتين
        [few] { $n } قصص
        [many] { $n } قصة
       *[other] { $n } قصة
    }
count_day =
    { $n ->
        [zero] 0 يوم
        [one] يوم واحد
        [two] يومين
        [few] { $n } أيام
        [many] { $n } يوماً
       *[other] { $n } يوم
    }

## Language (/language and its buttons)
language_name_ar = العربية
language_name_en = English
language_current = لغة البوت في هذه المحادثة: { $language }. اختر لغة:
language_current_auto = لغة البوت: { $language }، حسب إعداد تيليجرام لديك. اختر لغة:
language_btn_auto = 📱 اتبع إعداد تيليجرام
language_set = صارت لغة البوت هنا: { $language }.
language_set_auto = سأتبع إعداد تيليجرام لديك: { $language }.
language_bad = «{ $value }» ليست لغة أعرفها. اكتب: /language ar أو /language en
language_admins_only = في المجموعات يغيّر لغة البوت مشرفو المجموعة فقط.

## Article view (/summary buttons, /read)
btn_shorter = ➖ أقصر
btn_longer = ➕ أطول
btn_full_text = 📄 النص الكامل
btn_more_like = 🔎 أخبار مشابهة
btn_follow_topic = 🔔 تابع الموضوع
read_usage = اكتب رقم الخبر بعد الأمر، مثل: /read 1
read_bad_id = «{ $value }» ليس رقم خبر. اكتب رقماً، مثل: /read 1
read_cut = ✂️ الخبر أطول من أن يُرسل كاملاً هنا. تابع قراءته على رابطه: { $link }
read_cut_no_link = ✂️ الخبر أطول من أن يُرسل كاملاً هنا، وهذا مطلعه.
