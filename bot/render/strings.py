"""The interface's words, from one Fluent catalogue per language (bot/render/locales/*.ftl).

Fluent (Mozilla's localisation format) lets each language say counts its own way: Arabic
messages select among CLDR's six plural categories, English among two. Placeables are
filled with values the caller has already escaped for Telegram HTML; numbers are shown
without grouping, so article and topic numbers stay typeable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
LOCALES = Path(__file__).with_name("locales")

# The command menu, in the order shown; descriptions are the catalogue's `command_<name>`.
MENU_COMMANDS = ("search", "latest", "trend", "summary", "read", "help", "start", "subscribe", "topics",
                 "unsubscribe", "digest", "timezone", "language")

# What `/language <name>` understands (lower case, Arabic alef and yeh forms folded): `auto`
# follows the user's Telegram language again.
_LANGUAGE_NAMES = {
    "ar": ("ar", "ara", "arabic", "العربيه", "عربي", "عربيه", "اللغه العربيه"),
    "en": ("en", "eng", "english", "انجليزي", "انجليزيه", "الانجليزيه", "انكليزي", "الانكليزيه",
           "اللغه الانجليزيه"),
    "auto": ("auto", "telegram", "تلقائي", "تيليجرام", "تلغرام"),
}
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


class CatalogueError(Exception):
    """A catalogue that does not parse, or a message it lacks: a bug to fail on, not to show."""


@cache
def bundle(lang: str) -> FluentBundle:
    """The parsed catalogue of `lang` (Arabic for a language the bot does not speak)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    source = (LOCALES / f"{lang}.ftl").read_text(encoding="utf-8")
    resource = FluentResource(source)
    # Bidi isolation marks around placeables are off: lines carry their own direction mark
    # (bot/render/html.directed), and the marks would count against Telegram's limits.
    catalogue = FluentBundle([lang], use_isolating=False)
    catalogue.add_resource(resource)
    if any(type(entry).__name__ == "Junk" for entry in resource.body):
        raise CatalogueError(f"{lang}.ftl has entries that do not parse")
    return catalogue


def keys(lang: str) -> set[str]:
    """Every message id in `lang`'s catalogue."""
    return set(bundle(lang)._messages)


def language_for(code: str | None) -> str:
    """The UI language for a Telegram `language_code`: Arabic first, English for the rest."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def language_named(name: str) -> str | None:
    """`ar`, `en` or `auto` for a language as a user types it (`English`, `عربي`, `ar-SA`), else None."""
    folded = " ".join(name.translate(_FOLD).lower().split())
    folded = folded.split("-")[0] if "-" in folded and folded[:2] in LANGUAGES else folded
    return next((choice for choice, names in _LANGUAGE_NAMES.items() if folded in names), None)


def text(lang: str, key: str, **values: object) -> str:
    """Message `key` in `lang`, `values` filled in (escape strings first; ints select plurals)."""
    catalogue = bundle(lang)
    if not catalogue.has_message(key):
        raise CatalogueError(f"no message {key!r} in {lang}.ftl")
    arguments = {name: fluent_number(value, useGrouping=False) if isinstance(value, int) and not isinstance(value, bool)
                 else value for name, value in values.items()}
    result, errors = catalogue.format_pattern(catalogue.get_message(key).value, arguments)
    if errors:
        raise CatalogueError(f"{lang}.ftl {key}: {errors[0]}")
    return result


def counted(lang: str, n: int, noun: str) -> str:
    """`n` of `noun` as the language says it: `6 أخبار`, `خبران`, `25 خبراً`, `1 article`."""
    return text(lang, f"count_{noun}", n=n)


def commands(lang: str) -> list[tuple[str, str]]:
    """The command menu of `lang`: (command, description)."""
    return [(name, text(lang, f"command_{name}")) for name in MENU_COMMANDS]
