"""Operational plumbing: request ids, JSON logs, Prometheus metrics, health and readiness."""
