"""British English formats: 24-hour times."""
