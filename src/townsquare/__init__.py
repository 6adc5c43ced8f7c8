"""Townsquare: a self-hosted comment platform for news sites with local moderation."""

__version__ = "0.1.0"
