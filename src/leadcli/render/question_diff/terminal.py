"""`leadcli questions diff` in the terminal: what changed between two question-set versions.

Content text is literal (`text()`), so markup or escapes in a question print as typed.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from leadcli.content.question_sets import SetDiff
from leadcli.render.plain import text
from leadcli.render.question_diff.markdown import counts_line, sections, title
from leadcli.render.wording import LEGEND

STYLES = {"+": "green", "-": "red", "~": "yellow"}


def diff_view(diff: SetDiff) -> RenderableType:
    parts: list[RenderableType] = [text(title(diff), style="bold"), text(counts_line(diff)), Text("")]
    for name, items in sections(diff):
        parts.append(text(name, style="bold cyan"))
        for head, lines in items:
            parts.append(Padding(text(head, style=STYLES.get(head[:1], "")), (0, 0, 0, 2), expand=False))
            parts += [Padding(text(line), (0, 0, 0, 6), expand=False) for line in lines]
        parts.append(Text(""))
    parts += [text(diff.note, style="dim"), text(LEGEND, style="dim")]
    return Group(*parts)
