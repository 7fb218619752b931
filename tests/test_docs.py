"""The README and the code agree: every `newsbot` command and option it shows exists, every
command exists in it, and it names exactly the environment variables the code reads.

(After sqlite-utils' tests/test_docs.py.) When one of these fails, the README or the code is
out of date: the message says which names are missing where.
"""

import ast
import re

import pytest

from bot.cli import build_parser
from bot.config import Settings
from tests.support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_DIRS = ("bot", "handlers", "storage")
ENV_NAME = re.compile(r"\b(?:NEWSBOT|TELEGRAM)_[A-Z0-9_]*[A-Z0-9]\b")


def _code_text(markdown: str) -> list[str]:
    """The lines of fenced code blocks and the inline `code` spans of `markdown`."""
    spans: list[str] = []
    fenced = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
    for block in fenced.findall(markdown):
        spans += block.splitlines()
    for line in fenced.sub("", markdown).splitlines():
        spans += re.findall(r"`([^`\n]+)`", line)
    return spans


def _own_words(rest: str) -> str:
    """What follows a command on its line, up to a shell comment or a `|` / `&&` / `;` that is
    not inside [...] (`[FILE... | -]` is usage, `| jq` another command)."""
    depth = 0
    for n, char in enumerate(rest):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth <= 0 and (char in "#;|" or rest.startswith("&&", n)):
            return rest[:n]
    return rest


def _readme_commands() -> dict[str, set[str]]:
    """{sub-command: options shown with it} for each `newsbot <sub-command> ...` in code."""
    shown: dict[str, set[str]] = {}
    for line in _code_text(README):
        for match in re.finditer(r"(?:^|[\s|;&/])newsbot(?:[ \t]+([a-z][a-z-]*))?", line):
            if not match.group(1):
                continue  # `newsbot` alone, as in `.venv/bin/newsbot`
            rest = _own_words(line[match.end():])
            shown.setdefault(match.group(1), set()).update(re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest))
    return shown


def _subparsers(parser) -> dict:
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert len(actions) == 1, "the newsbot parser has one set of sub-commands"
    return dict(actions[0].choices)


def test_the_readme_parser_reading_finds_what_it_should():
    shown = _readme_commands()
    assert {"console", "ingest", "search", "summarize"} <= set(shown), shown
    assert {"--db", "--user-lang"} <= shown["console"] and {"--json", "--limit"} <= shown["search"]
    assert "--jsonl" in shown["summarize"] and not any("--tree" in options for options in shown.values())


def test_every_command_and_option_in_the_readme_exists():
    parser = build_parser()
    commands = _subparsers(parser)
    shown = _readme_commands()
    unknown = sorted(set(shown) - set(commands))
    assert not unknown, f"README shows `newsbot {' / '.join(unknown)}`, which the CLI does not have"
    for command, options in sorted(shown.items()):
        known = set(commands[command]._option_string_actions) | set(parser._option_string_actions)
        nested = [a for a in commands[command]._actions if a.__class__.__name__ == "_SubParsersAction"]
        for verbs in nested:  # `newsbot sources add --name`: the verbs' options count too
            for verb in verbs.choices.values():
                known |= set(verb._option_string_actions)
        missing = sorted(options - known)
        assert not missing, f"README shows `newsbot {command} {' '.join(missing)}`, which the CLI does not take"


def test_every_command_is_in_the_readme():
    missing = sorted(set(_subparsers(build_parser())) - set(_readme_commands()))
    assert not missing, f"the README never shows `newsbot {' / '.join(missing)}`"


def _settings_variables() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias or field.alias
        assert isinstance(alias, str), f"Settings.{name}: an alias that is not one name ({alias!r})"
        names.add(alias)
    return names


def _environ_reads() -> set[str]:
    """Names read with os.environ[...], os.environ.get(...), os.getenv(...), "X" in os.environ."""
    def is_environ(node) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ"
                and isinstance(node.value, ast.Name) and node.value.id == "os") or (
                isinstance(node, ast.Name) and node.id == "environ")

    def literal(node) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    names = set()
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                found = None
                if isinstance(node, ast.Subscript) and is_environ(node.value):
                    found = literal(node.slice)
                elif isinstance(node, ast.Call) and node.args:
                    func = node.func
                    if (isinstance(func, ast.Attribute) and func.attr in ("get", "pop", "setdefault")
                            and is_environ(func.value)) or (
                            isinstance(func, ast.Attribute) and func.attr == "getenv") or (
                            isinstance(func, ast.Name) and func.id == "getenv"):
                        found = literal(node.args[0])
                elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
                    found = literal(node.left)
                if found:
                    names.add(found)
    return names


def test_the_code_reading_finds_what_it_should():
    assert {"TELEGRAM_BOT_TOKEN", "NEWSBOT_DB", "NEWSBOT_PAGE_SIZE"} <= _settings_variables()
    assert "NEWSBOT_LOG_LEVEL" in _environ_reads()  # bot/cli.py: quiet console unless it is set
    assert {"NEWSBOT_PAGE_SIZE", "NEWSBOT_LATEST_COUNT", "NEWSBOT_DB"} <= set(ENV_NAME.findall(README))


@pytest.mark.parametrize("direction", ["readme->code", "code->readme"])
def test_the_readme_names_exactly_the_variables_the_code_reads(direction):
    documented = set(ENV_NAME.findall(README))
    read = _settings_variables() | {n for n in _environ_reads() if ENV_NAME.fullmatch(n)}
    if direction == "readme->code":
        stale = sorted(documented - read)
        assert not stale, f"README.md names variables no code reads: {stale}"
    else:
        missing = sorted(read - documented)
        assert not missing, f"README.md does not mention these variables the code reads: {missing}"


def test_every_option_and_argument_has_help_text():
    def undocumented(parser, name):
        for action in parser._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for sub_name, sub in action.choices.items():
                    yield from undocumented(sub, f"{name} {sub_name}")
            elif not action.help and action.dest != "help":
                yield f"{name} {'/'.join(action.option_strings) or action.dest}"

    assert list(undocumented(build_parser(), "newsbot")) == []


def test_version_and_search_arguments(capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("newsbot ")
    args = build_parser().parse_args(["search", "سوريا", "قيصر", "--limit", "3"])
    assert args.query == ["سوريا", "قيصر"] and args.limit == 3
    for bad in ("0", "51", "two"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["search", "x", "--limit", bad])
    assert "out of range: 1 to 50" in capsys.readouterr().err
