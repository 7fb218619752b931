# newsbot's English interface. Keys are shared with ar.ftl; placeables { $name } are filled
# with values the code has already escaped for Telegram HTML.

## Command menu descriptions
command_search = Search the news by keywords
command_latest = Newest articles
command_trend = Chart of articles on a topic, day by day
command_summary = Summary of an article by its number
command_read = Full text of an article by its number
command_help = How to use the bot
command_start = Start
command_subscribe = Alerts for new articles on a topic
command_topics = This chat's alert topics
command_unsubscribe = Remove an alert topic
command_digest = A daily digest instead of instant alerts
command_timezone = Time zone of the daily digest
command_language = The bot's language: English or العربية

## Messages and buttons
welcome = Welcome to <b>newsbot</b>: search the news and get short summaries.
help =
    <b>Commands</b>
    /search words — search the news, e.g. /search Syria
    {"   "}"exact phrase", OR, -excluded, source:, lang:, since:2024-01-31
    /latest — newest articles
    /summary number — an article's summary, e.g. /summary 1
    /read number — an article's full text, e.g. /read 1
    /subscribe topic — an alert for each new article on it, e.g. /subscribe Syria
    /topics — this chat's topics; /unsubscribe number removes one
    /digest daily 08:00 — one daily digest instead of instant alerts; /timezone Asia/Damascus
    In any chat: type the bot's name, then search words, to share an article
    /language — the bot's language (English or العربية)
    /help — this message
search_usage = Type your search words after the command, e.g. /search Syria
search_no_words = I found no words to search for in that. Try words, e.g. /search Syria
search_none = No results for “{ $query }”.
search_header = Results for “{ $query }”: { $first }–{ $last } of { $total }
search_no_more = No more results for “{ $query }”.
search_ignored = Ignored: { $filters } (dates as since:2024-01-31, languages as lang:ar or lang:en)
search_only_excluded = Type at least one word to look for, not only words to exclude.
page_previous = ◀ Previous
page_next = Next ▶
page_expired = This button has expired. Please search again.
search_truncated =
    { $count ->
        [one] Only the first word of your query was used.
       *[other] Only the first { $count } words of your query were used.
    }
search_suggest = Did you mean: <code>/search { $query }</code> (tap to copy)
search_newest_header = Newest for “{ $query }”: { $first }–{ $last } of { $total }
summary_usage = Type the article number after the command, e.g. /summary 1
summary_bad_id = “{ $value }” is not an article number. Type a number, e.g. /summary 1
summary_not_found = There is no article number { $id }.
latest_header = Newest articles
latest_none = No articles are stored yet.
source_unknown = unknown source
error = Something went wrong on our side. Please try again in a moment.
unknown_command = I don't know that command. Type /help for the list.
topic_usage =
    Type the topic after the command, e.g. /subscribe Syria
    Topics read like searches: "phrase", OR, -word, source:, lang:
topic_no_words = I found no words to follow in that topic. Try e.g. /subscribe Syria
topic_added = New articles about “{ $topic }” will be sent here. Topics: { $count } of { $limit }. /topics lists them.
topic_exists = “{ $topic }” is already a topic here. /topics lists them.
topic_full =
    { $limit ->
        [one] This chat has 1 topic, the most allowed. Remove it with /unsubscribe first.
       *[other] This chat has { $limit } topics, the most allowed. Remove one with /unsubscribe first.
    }
topic_admins_only = In groups only the group's administrators change its topics. Anyone can see them with /topics.
topics_none = No alert topics here yet. Add one, e.g. /subscribe Syria
topics_header = Alert topics ({ $count } of { $limit })
topics_footer = To remove: /unsubscribe topic number
topic_paused = paused
also_reported_by = Also reported by: { $sources }
stats_header = Bot status
stats_body =
    Articles: { $articles } in { $stories }
    Sources: { $sources } ({ $paused } paused, { $failing } failing)
    Chats: { $active } active, { $inactive } inactive
    Topics: { $topics }
    Alerts: { $sent } sent, { $pending } pending, { $parked } failed for good
stats_errors = Latest errors:
stats_no_errors = No recent errors.
trend_usage = Type what to chart after the command, e.g. /trend Syria
trend_none = No articles about “{ $query }” in the last { $days }.
trend_caption = “{ $query }”: { $total } in the last { $days }.
trend_title = Articles about “{ $query }”, day by day
trend_axis = articles
sources_admins_only = Only the bot's administrators manage its news sources.
sources_none = No sources yet. Add a feed with: /addsource URL
sources_header = News sources ({ $count })
sources_line = { $id }. { $name } — { $articles }, { $state }
sources_state_ok = last poll: { $status }, { $when }
sources_state_failed = failed: { $error }
sources_state_paused = paused after repeated failures: { $error }
sources_state_new = not polled yet
sources_footer = Add: /addsource URL — remove: /removesource number
addsource_usage = Put the feed's URL (RSS or Atom) after the command, e.g. /addsource https://example.com/feed
addsource_added = Added “{ $name }”: { $entries }, { $new }.
addsource_exists = “{ $name }” is already a source (number { $id }).
addsource_refused = Not added: { $url }: { $reason }
removesource_usage = Put the source's number after the command, e.g. /removesource 1 — the list: /sources
removesource_done =
    Removed “{ $name }”. { $articles ->
        [one] Its 1 article stays.
       *[other] Its { $articles } articles stay.
    }
removesource_not_found = There is no source number { $id }. The list: /sources
source_paused_notice =
    Stopped polling “{ $name }” after { $failures ->
        [one] 1 failed attempt
       *[other] { $failures } failed attempts in a row
    }: { $error }
    To resume: /addsource { $url }
unsubscribe_usage = Type the topic's number or text after the command, e.g. /unsubscribe 1
unsubscribe_not_found = There is no topic “{ $topic }” here. /topics lists them.
unsubscribed = No more alerts about “{ $topic }”.
digest_usage = For a daily digest: /digest daily 08:00 ({ $timezone } time); to stop it: /digest off
digest_on = You will get a daily digest of matching articles at { $time }, { $timezone } time.
digest_off = Alerts are instant again. What was collected for the digest comes shortly.
timezone_usage = The time zone is { $timezone }. To change it: /timezone Asia/Damascus, /timezone Cairo or /timezone +3
timezone_bad = “{ $value }” is not a time zone I know. Write it like Asia/Damascus, Cairo, UTC+3 or GMT-5
timezone_set = The time zone is now { $timezone }.
digest_status_on =
    A daily digest is on: it comes at { $time }, { $timezone } time.
    To change the time: /digest daily 20:00; instant alerts: /digest off; the time zone: /timezone
digest_status_instant =
    Alerts are instant: each matching article is sent as it arrives.
    For a daily digest: /digest daily 08:00 ({ $timezone } time)
digest_bad_time = “{ $value }” is not a time of day: hours go 00–23, minutes 00–59. Write it like /digest daily 08:00
alert_why = Matched:
digest_header =
    News digest: { $count ->
        [one] 1 article
       *[other] { $count } articles
    }
btn_more = 🔎 More like this
btn_pause = ⏸ Pause { $n }
btn_resume = ▶ Resume { $n }
btn_remove = ✖ Remove { $n }
topic_muted = Muted “{ $topic }”. Resume it from /topics
topic_resumed = Resumed “{ $topic }”.
topic_removed = Removed “{ $topic }”.
button_stale = This button is no longer valid.

## Counted nouns: { $n } of them
count_article =
    { $n ->
        [one] 1 article
       *[other] { $n } articles
    }
count_new_article =
    { $n ->
        [one] 1 new article
       *[other] { $n } new articles
    }
count_entry =
    { $n ->
        [one] 1 entry
       *[other] { $n } entries
    }
count_story =
    { $n ->
        [one] 1 story
       *[other] { $n } stories
    }
count_day =
    { $n ->
        [one] 1 day
       *[other] { $n } days
    }

## Language (/language and its buttons)
language_name_ar = العربية
language_name_en = English
language_current = The bot's language in this chat: { $language }. Choose a language:
language_current_auto = The bot's language: { $language }, from your Telegram setting. Choose a language:
language_btn_auto = 📱 Follow my Telegram setting
language_set = The bot now speaks { $language } here.
language_set_auto = I'll follow your Telegram setting: { $language }.
language_bad = “{ $value }” is not a language I know. Type /language en or /language ar
language_admins_only = In groups only the group's administrators change the bot's language.

## Article view (/summary buttons, /read)
btn_shorter = ➖ Shorter
btn_longer = ➕ Longer
btn_full_text = 📄 Full text
btn_more_like = 🔎 More like this
btn_follow_topic = 🔔 Subscribe
read_usage = Type the article number after the command, e.g. /read 1
read_bad_id = “{ $value }” is not an article number. Type a number, e.g. /read 1
read_cut = ✂️ The article is too long to send in full here. Read the rest at its link: { $link }
read_cut_no_link = ✂️ The article is too long to send in full here; this is its beginning.
