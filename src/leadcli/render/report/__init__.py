"""One interview's report and an organization's: terminal, Markdown and HTML."""
