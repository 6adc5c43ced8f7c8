"""Converters: another system's export read as the records `comments.importlines` checks."""
