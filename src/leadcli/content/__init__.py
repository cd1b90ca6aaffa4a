"""The institute's content: models, YAML loading and validation."""
