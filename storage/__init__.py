"""Persistence: the only package that holds SQL. It never imports telegram."""
