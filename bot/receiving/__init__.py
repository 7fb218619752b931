"""Receiving updates: per-chat lanes, polling that survives bad updates and a refused token."""
