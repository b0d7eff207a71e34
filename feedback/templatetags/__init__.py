"""Template filters of the feedback pages."""
