"""The team summary: terminal (JSON is `render.data`)."""
