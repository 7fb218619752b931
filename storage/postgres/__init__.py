"""The PostgreSQL backend: the same `storage` interface over an asyncpg pool, for more than one
process (or machine) on one store. Chosen with NEWSBOT_DB=postgresql://user:pass@host/db."""
