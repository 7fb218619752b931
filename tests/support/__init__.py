"""Helpers for the tests (and the benches): the stand-in Bot API, the real bot process,
generated articles, and waiting on conditions. Nothing here is collected as a test."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository root
SEEDS = ROOT / "seeds"
