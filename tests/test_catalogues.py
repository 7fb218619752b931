"""The two catalogues (issue 12): the same keys, the same placeables per key, and every key
the code asks for exists in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render import strings

ROOT = Path(__file__).resolve().parent.parent
_PLACEABLE = re.compile(r"\{\s*\$([a-z_]+)")


def placeables(lang: str) -> dict[str, set[str]]:
    """Per message: every `{ $name }` in it, selector variants included."""
    found: dict[str, set[str]] = {}
    current = None
    for line in (strings.LOCALES / f"{lang}.ftl").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        head = re.match(r"([a-z][a-z0-9_]*)\s*=", line)
        if head and not line.startswith(" "):
            current = head.group(1)
            found[current] = set()
        if current:
            found[current] |= set(_PLACEABLE.findall(line))
    return found


def test_both_catalogues_have_the_same_keys():
    assert strings.keys("ar") == strings.keys("en")
    assert set(placeables("ar")) == strings.keys("ar")  # the line reader sees every message


@pytest.mark.parametrize("key", sorted(strings.keys("ar")))
def test_each_key_has_the_same_placeables_in_both(key):
    assert placeables("ar")[key] == placeables("en")[key], key


def used_keys() -> set[str]:
    """Keys the code names literally: text(lang, "key", render_text(lang, "key", counted nouns."""
    keys = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py")]:
        source = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""text\(\s*[a-z_]*lang[a-z_]*,\s*["']([a-z_]+)["']""", source))
        keys |= {f"count_{noun}" for noun in re.findall(r"""counted\([^()]*?,\s*["']([a-z_]+)["']\)""", source)}
    return keys


def test_every_key_the_code_uses_exists_in_both():
    used = used_keys()
    assert {"language_bad", "search_truncated", "count_article", "stats_body"} <= used  # the grep works
    assert used - strings.keys("ar") == set()
    assert used - strings.keys("en") == set()


def test_every_menu_command_is_described_in_both():
    assert "language" in strings.MENU_COMMANDS
    for lang in strings.LANGUAGES:
        assert all(description for _, description in strings.commands(lang))
        assert "/language" in strings.text(lang, "help")
