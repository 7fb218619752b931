"""The bot token never reaches a log line, including tracebacks."""

import logging

from bot.logs import RedactingFormatter, redact

TOKEN = "123456789:AAHfakeTokenValueThatIsLongEnough_xyz"


def test_redact_known_and_unknown_tokens():
    assert TOKEN not in redact(f"POST https://api.telegram.org/bot{TOKEN}/getMe", (TOKEN,))
    other = "987654321:ZZZanotherTokenShapeValue1234567890"
    assert other not in redact(f"url=/bot{other}/sendMessage")


def test_formatter_redacts_messages_args_and_tracebacks():
    formatter = RedactingFormatter("%(message)s", (TOKEN,))
    try:
        raise ValueError(f"failed for https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling %s", (TOKEN,), sys.exc_info())
    text = formatter.format(record)
    assert TOKEN not in text
    assert "<token>" in text and "ValueError" in text
