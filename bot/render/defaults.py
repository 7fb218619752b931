"""How every message the bot sends is formatted: Telegram HTML, no link previews."""

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Defaults

MESSAGE_DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
