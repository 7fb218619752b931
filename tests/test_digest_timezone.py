"""/digest and /timezone explain themselves (issue 12): the state when asked with nothing, what
is wrong with a time that is no time, times and zones written the many ways people write them
(Arabic-Indic digits, bare hours, any case, UTC offsets, Arabic city names). Through the real
Application in console mode, in Arabic and in English (the sender's `language_code`)."""

from datetime import UTC, datetime

import pytest

from bot.alerts.schedule import last_slot
from bot.config import Settings
from tests.support.console_chat import console_chat

CHAT = 1


@pytest.fixture
async def console(store_location):
    """(application, say): `await say(text, "ar")` is what the bot answers a command, stripped;
    over each backend in turn."""
    async with console_chat(Settings(NEWSBOT_DB=store_location)) as (application, say_raw, _):
        async def say(text: str, language_code: str) -> str:
            return (await say_raw(text, user=CHAT, language_code=language_code)).strip()

        yield application, say


async def stored(application):
    """(timezone, digest_time) of the chat, or None before it has any setting."""
    chat = await application.bot_data.alerts.chat(CHAT)
    return (chat.timezone, chat.digest_time) if chat else None


# ---------------------------------------------------------------- /digest alone: the state
async def test_digest_alone_says_alerts_are_instant_then_when_the_digest_comes_en(console):
    application, say = console
    assert await say("/digest", "en") == (
        "Alerts are instant: each matching article is sent as it arrives.\n"
        "For a daily digest: /digest daily 08:00 (UTC time)")
    assert await say("/digest daily 08:00", "en") == (
        "You will get a daily digest of matching articles at 08:00, UTC time.")
    await say("/timezone Asia/Damascus", "en")
    assert await say("/digest", "en") == (
        "A daily digest is on: it comes at 08:00, Asia/Damascus time.\n"
        "To change the time: /digest daily 20:00; instant alerts: /digest off; the time zone: /timezone")
    assert await say("/digest off", "en") == (
        "Alerts are instant again. What was collected for the digest comes shortly.")
    assert await stored(application) == ("Asia/Damascus", None)
    assert (await say("/digest", "en")).startswith("Alerts are instant:")


async def test_digest_alone_says_alerts_are_instant_then_when_the_digest_comes_ar(console):
    application, say = console
    assert await say("/digest", "ar") == (
        "التنبيهات فورية: يصلك كل خبر مطابق حال وصوله.\n"
        "للملخص اليومي: /digest daily 08:00 (بتوقيت UTC)")
    assert await say("/digest يومي ٠٧:٣٠", "ar") == "سيصلك ملخص يومي بالأخبار المطابقة الساعة 07:30 بتوقيت UTC."
    await say("/timezone دمشق", "ar")
    assert await say("/digest", "ar") == (
        "الملخص اليومي مفعّل: يصلك الساعة 07:30 بتوقيت Asia/Damascus.\n"
        "لتغيير الموعد: /digest daily 20:00، وللتنبيه الفوري: /digest off، وللمنطقة الزمنية: /timezone")
    assert await stored(application) == ("Asia/Damascus", "07:30")
    assert await say("/digest إيقاف", "ar") == "عادت التنبيهات فورية. ما تجمّع للملخص يصلك قريباً."
    assert await stored(application) == ("Asia/Damascus", None)


# ---------------------------------------------------------------- /digest with a time
@pytest.mark.parametrize("typed", ["25:00", "24:30", "8:75", "abc", "Noon"])  # echoed as typed
async def test_a_time_that_is_no_time_of_day_says_what_is_wrong(console, typed):
    application, say = console
    assert await say(f"/digest daily {typed}", "en") == (
        f"“{typed}” is not a time of day: hours go 00–23, minutes 00–59. Write it like /digest daily 08:00")
    assert await say(f"/digest {typed}", "ar") == (
        f"«{typed}» ليس وقتاً من اليوم: الساعات من 00 إلى 23 والدقائق من 00 إلى 59. "
        "اكتبه مثل: /digest daily 08:00")
    assert await stored(application) is None  # nothing was set


async def test_a_bad_time_leaves_the_digest_as_it_was(console):
    application, say = console
    await say("/digest daily 09:15", "en")
    assert (await say("/digest daily 25:00", "en")).startswith("“25:00” is not a time of day")
    assert await stored(application) == ("UTC", "09:15")


@pytest.mark.parametrize(("typed", "clock"), [
    ("daily 8:00", "08:00"), ("daily 08:00", "08:00"), ("daily ٠٨:٠٠", "08:00"), ("daily 8", "08:00"),
    ("20h30", "20:30"), ("daily 20H", "20:00"), ("23:59", "23:59"), ("0:00", "00:00"),
    ("يومي ۰۸:۳۰", "08:30"), ("كل يوم ٩", "09:00"), ("يومياً 21:05", "21:05"),
])
async def test_times_of_day_as_people_type_them(console, typed, clock):
    application, say = console
    assert await say(f"/digest {typed}", "en") == (
        f"You will get a daily digest of matching articles at {clock}, UTC time.")
    assert await stored(application) == ("UTC", clock)
    assert await say(f"/digest {typed}", "ar") == f"سيصلك ملخص يومي بالأخبار المطابقة الساعة {clock} بتوقيت UTC."


async def test_more_than_a_time_gets_the_usage(console):
    application, say = console
    assert await say("/digest weekly 08:00", "en") == (
        "For a daily digest: /digest daily 08:00 (UTC time); to stop it: /digest off")
    assert await say("/digest كل أسبوع", "ar") == (
        "للملخص اليومي: /digest daily 08:00 (بتوقيت UTC)، ولإيقافه: /digest off")
    assert await stored(application) is None


# ---------------------------------------------------------------- /timezone
@pytest.mark.parametrize(("typed", "name"), [
    ("Asia/Damascus", "Asia/Damascus"), ("asia/damascus", "Asia/Damascus"), ("ASIA/DAMASCUS", "Asia/Damascus"),
    ("africa/cairo", "Africa/Cairo"), ("Cairo", "Africa/Cairo"), ("new york", "America/New_York"),
    ("utc", "UTC"), ("+3", "UTC+03:00"), ("+03:00", "UTC+03:00"), ("UTC+3", "UTC+03:00"),
    ("utc +3", "UTC+03:00"), ("GMT-5", "UTC-05:00"), ("-0430", "UTC-04:30"), ("+5:30", "UTC+05:30"),
    ("+٣", "UTC+03:00"), ("UTC+0", "UTC"),
    ("دمشق", "Asia/Damascus"), ("القاهرة", "Africa/Cairo"), ("الرياض", "Asia/Riyadh"), ("بيروت", "Asia/Beirut"),
    ("عمّان", "Asia/Amman"), ("عمان", "Asia/Amman"), ("بغداد", "Asia/Baghdad"), ("الدوحة", "Asia/Qatar"),
    ("دبي", "Asia/Dubai"), ("الرباط", "Africa/Casablanca"), ("تونس", "Africa/Tunis"),
    ("الجزائر", "Africa/Algiers"), ("الخرطوم", "Africa/Khartoum"),
])
async def test_time_zones_as_people_type_them(console, typed, name):
    application, say = console
    assert await say(f"/timezone {typed}", "en") == f"The time zone is now {name}."
    assert await stored(application) == (name, None)
    assert await say(f"/timezone {typed}", "ar") == f"المنطقة الزمنية الآن {name}."
    assert await say("/timezone", "en") == (
        f"The time zone is {name}. To change it: /timezone Asia/Damascus, /timezone Cairo or /timezone +3")


@pytest.mark.parametrize("typed", ["Mars/Base", "+15", "GMT+3:75", "3", "مدينة الأحلام", "../etc/passwd"])
async def test_an_unknown_time_zone_says_so_with_examples(console, typed):
    application, say = console
    assert await say(f"/timezone {typed}", "en") == (
        f"“{typed}” is not a time zone I know. Write it like Asia/Damascus, Cairo, UTC+3 or GMT-5")
    assert await say(f"/timezone {typed}", "ar") == (
        f"«{typed}» ليست منطقة زمنية أعرفها. اكتبها مثل: دمشق أو القاهرة أو Asia/Damascus أو UTC+3")
    assert await stored(application) is None


async def test_a_fixed_offset_places_the_digest_slot(console):
    application, say = console
    await say("/timezone -0430", "en")
    before = datetime.now(UTC)
    assert await say("/digest daily 08:00", "en") == (
        "You will get a daily digest of matching articles at 08:00, UTC-04:30 time.")
    chat = await application.bot_data.alerts.chat(CHAT)
    assert datetime.fromisoformat(chat.digest_due_after) == last_slot(before, "UTC-04:30", "08:00")
    now = datetime(2024, 5, 1, 4, 30, tzinfo=UTC)  # 00:00 at UTC-04:30, 07:30 at UTC+03:00
    assert last_slot(now, "UTC-04:30", "08:00") == datetime(2024, 4, 30, 12, 30, tzinfo=UTC)
    assert last_slot(now, "UTC+03:00", "08:00") == last_slot(now, "Asia/Damascus", "08:00")
