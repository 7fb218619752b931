"""newsbot: an Arabic-first Telegram bot for news search, summaries and topic alerts."""
