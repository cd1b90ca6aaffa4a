"""Turning results into terminal output, Markdown, JSON and CSV."""
