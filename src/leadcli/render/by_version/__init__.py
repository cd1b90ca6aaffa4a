"""The evaluation per question-set version (`evaluate --by-version`): terminal and Markdown."""
