"""Text from outside (keyboard, answers files, imports, data folders) is hostile until shown otherwise.

On the way in, `clean_input` drops NUL, which no note needs; everything else is kept exactly as
given, so nothing a user typed is lost. On the way out, `visible` is the one function that turns
terminal escapes (ESC, CSI, OSC), other C0/C1 controls, bidi overrides, lone surrogates and
invisible characters (zero-width, BOM, tag characters, soft hyphen) into visible escapes such as
`\\x1b` or `\\u200b`; every renderer and every stderr message uses it, and JSON output
uses `json_escaped`. No rich import: core modules and every output format share it.
"""

from __future__ import annotations

import re
from typing import Any

# How Python hands over a byte that was not UTF-8 (a Latin-1 terminal, a C locale): U+DC80..U+DCFF.
_UNDECODED_BYTE = re.compile("[\udc80-\udcff]")


# How much outside text leadcli takes in one field or list (imports refuse more, in one line each):
# a name is a line, a note may be long (5 MB notes render whole), a list is a handful.
MAX_NAME = 300  # organization, interviewer, person, role, region, owner
MAX_TEXT = 10_000_000  # a note, a reflection answer
MAX_ITEMS = 500  # contacts, cues, follow-ups


def clean_input(text: str) -> str:
    """`text` without NUL characters (which no note needs and which cut strings short in C tools).

    A byte that was not UTF-8 (typed in a terminal set to Latin-1, say) is read as the Latin-1
    character it would be there (`\\xe9` is é), so it is kept and can be stored.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _UNDECODED_BYTE.search(text) is not None:
        text = _UNDECODED_BYTE.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)
    return text


def clean_data(value: Any) -> Any:
    """Parsed YAML or JSON with `clean_input` applied to every string, keys included."""
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value


# C0 controls except TAB and LF, DEL and C1, the bidi embeddings/overrides/isolates, lone surrogates,
# and the characters that show nothing: soft hyphen, zero-width space/joiners, word joiner, the
# byte-order mark, the line and paragraph separators and the tag characters.
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff\u2028\u2029\U000e0000-\U000e007f"
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff" + _INVISIBLE
_INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]")


def without_invisible(text: str) -> str:
    """`text` without the characters that show nothing (zero-width, BOM, tag characters, soft hyphen)."""
    return _INVISIBLE_CHARS.sub("", text)


_UNSAFE_KEEP_LINES = re.compile(f"[{_CONTROLS}]")
_UNSAFE_ONE_LINE = re.compile(f"[\t\n{_CONTROLS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, lines: bool = True) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), never obeyed.

    With `lines`, newlines and tabs stay as they are and a Windows line end counts as a newline;
    without, the result is one line (`\\n`, `\\t` shown).
    """
    if lines:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        pattern = _UNSAFE_KEEP_LINES
    else:
        pattern = _UNSAFE_ONE_LINE
    if pattern.search(text) is None:  # the common case: nothing to do, no copy
        return text
    return pattern.sub(_shown, text)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff{_INVISIBLE}]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # JSON spells the rest as a surrogate pair
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_escaped(dumped: str) -> str:
    """JSON text (from `json.dumps(ensure_ascii=False)`) with the controls JSON leaves raw as `\\uXXXX`.

    The data stays exactly the same; only its spelling changes (JSON already escapes C0).
    """
    if _JSON_UNSAFE.search(dumped) is None:
        return dumped
    return _JSON_UNSAFE.sub(_json_escape, dumped)


# Spreadsheets run a cell as a formula when its first visible character is one of these (the
# full-width forms too: Excel and Sheets read ＝ as =); a tab first also counts.
_FORMULA_CHARS = "=+-@\uff1d\uff0b\uff0d\uff20"
_FORMULA = re.compile(f"^\t|^[\\s{_INVISIBLE}]*[{re.escape(_FORMULA_CHARS)}]")


def formula_like(text: str) -> bool:
    """True if a spreadsheet could read `text` as a formula (leading spaces and invisibles skipped)."""
    return _FORMULA.match(text) is not None
