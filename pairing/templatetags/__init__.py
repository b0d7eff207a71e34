"""Template filters for programmes (programme_words)."""
