"""Data, not code: service definitions, translations, icons and schemas."""
