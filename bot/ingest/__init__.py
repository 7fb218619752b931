"""Getting articles in: files parsed, analysed once, stored in batches; re-analysis of a store."""
