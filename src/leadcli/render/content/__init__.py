"""The framework, the questions and the offerings: terminal, Markdown and table rows for CSV/JSON."""
