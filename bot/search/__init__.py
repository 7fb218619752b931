"""Search: the query language (query), ranking and re-ranking (engine), snippets as spans."""
