"""Text entering leadcli from outside (keyboard, answers files, imports): NUL is dropped on the way in.

Everything else is kept exactly as given; control characters are neutralised on output instead
(`leadcli.render.safe.visible`), so nothing a user typed is lost.
"""

from __future__ import annotations

from typing import Any


def clean_input(text: str) -> str:
    """`text` without NUL characters (which no note needs and which cut strings short in C tools)."""
    return text.replace("\x00", "") if "\x00" in text else text


def clean_data(value: Any) -> Any:
    """Parsed YAML or JSON with `clean_input` applied to every string, keys included."""
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value
