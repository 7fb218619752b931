"""Everything the user reads: HTML primitives, messages, keyboards, callback data, the catalogue."""
