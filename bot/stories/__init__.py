"""Stories: articles that tell the same news (agency copy re-published by several outlets), grouped."""
