"""E-mail: rendering messages from templates, talking SMTP, and the worker that empties the outbox."""
