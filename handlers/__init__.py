"""Telegram update handlers: thin functions that call bot/ logic and render its answers."""
