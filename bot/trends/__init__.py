"""Trends: how many articles about a query appear day by day (`/trend`)."""
