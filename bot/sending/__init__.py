"""Sending within Telegram's limits: one budget for replies and alerts, its pacer, the limiter."""
