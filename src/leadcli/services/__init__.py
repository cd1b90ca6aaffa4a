"""The functions behind each command: they take a store and content and return results as data."""
