"""Sending within Telegram's limits: one budget for replies and alerts, its pacer, the
Application's limiter, and the outbox sender that delivers alerts and digests."""
