"""The evaluation of outcomes against the assessment: terminal and Markdown."""
