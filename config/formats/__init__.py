"""Format modules for the site's language (FORMAT_MODULE_PATH)."""
