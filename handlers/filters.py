"""Which messages are meant for this bot: used where the handlers are registered.

In a group every bot sees `/search`; `/search@otherbot` is another bot's. A command
addressed to someone else is never ours, and a bare command we do not know is most
likely another bot's when it comes from a group, so only private chats get the
"unknown command" hint for it. Channel posts and edited messages are not handled at all:
a post has no one to answer, and answering an edit would repeat an answer already given.
"""

from __future__ import annotations

from telegram import Message, MessageEntity
from telegram.ext import filters


def _command_target(message: Message) -> str | None:
    """The `@name` of a leading command (lower case), `""` when unaddressed, None if no command."""
    entities = message.entities or ()
    if not entities or entities[0].type != MessageEntity.BOT_COMMAND or entities[0].offset != 0:
        return None
    command = message.parse_entity(entities[0])
    return command.partition("@")[2].lower()


class _NotForAnotherBot(filters.MessageFilter):
    """A command with no address, or addressed to this bot."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        target = _command_target(message)
        return target is not None and target in ("", (message.get_bot().username or "").lower())


class _AddressedToThisBot(filters.MessageFilter):
    """A command that names this bot: `/cmd@thisbot`."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        target = _command_target(message)
        return bool(target) and target == (message.get_bot().username or "").lower()


NEW_MESSAGES = filters.UpdateType.MESSAGE
NOT_FOR_ANOTHER_BOT = _NotForAnotherBot(name="NOT_FOR_ANOTHER_BOT")
ADDRESSED_TO_THIS_BOT = _AddressedToThisBot(name="ADDRESSED_TO_THIS_BOT")

# A command the bot does not have, worth a hint: in a private chat, or named to this bot.
UNKNOWN_COMMAND = NEW_MESSAGES & filters.COMMAND & (
    (filters.ChatType.PRIVATE & NOT_FOR_ANOTHER_BOT) | ADDRESSED_TO_THIS_BOT
)
# `/summary_12` (tappable under search results), as ours.
SUMMARY_SHORTCUT = NEW_MESSAGES & NOT_FOR_ANOTHER_BOT & filters.Regex(r"^/summary_\w+(@\w+)?(\s|$)")
# Words without a command, in a private chat: a search hint.
PLAIN_TEXT = NEW_MESSAGES & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
