"""Feeds: sources polled over HTTP (fetch), read (parse, pages, links), stored as articles (poller)."""
