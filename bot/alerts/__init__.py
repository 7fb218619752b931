"""Topic alerts: topics matched against new articles, a durable outbox, a paced sender."""
