"""What changed between two question-set versions (`questions diff`): terminal and Markdown."""
