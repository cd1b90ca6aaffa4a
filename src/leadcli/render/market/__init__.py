"""Where demand meets the offerings (`offerings --coverage`, `summary --demand`): terminal,
Markdown and CSV rows."""
