"""GraphiQL served from the project's own files: works offline and under a strict Content-Security-Policy."""
