"""Extractive summaries: the summarizer and its rankings, the cache, `newsbot summarize`."""
