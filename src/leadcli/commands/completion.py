"""`leadcli completion SHELL`: the script that gives leadcli tab completion in that shell.

Each script hands leadcli the command line up to the cursor, as typed, and leadcli splits it the way
the shell will (quotes and backslashes included). leadcli answers one value a line (fish and zsh: a
tab and a description may follow), and the shell's own quoting-aware insertion puts each value on the
line — zsh through `compadd`, fish by itself, bash by leadcli's own backslashes for a bare word and
readline's filename quoting inside a quote the word opened (readline leaves `)` and `$` bare in a
bare word) — so a name such as `St Mary's Health (example)`, `Ward "A"` or `$(touch x)` reaches
leadcli intact and nothing in it runs.
"""

from __future__ import annotations

import os
from typing import Literal

import typer

Shell = Literal["bash", "zsh", "fish"]

LINE_VAR = "_LEADCLI_LINE"  # the command line up to the cursor, as the shell holds it

_BASH = r"""_leadcli_completion() {
    local values=() value
    # Read line by line, not values=( $(...) ): an unquoted expansion would also glob `*` or `?`
    # in a value (and mapfile is not in macOS's bash 3.2).
    while IFS= read -r value; do
        values+=( "$value" )
    done < <(env %(var)s=complete_bash %(line)s="${COMP_LINE:0:COMP_POINT}" %(prog)s 2>/dev/null)
    # The first line says who quotes: "filenames" (the word opened a quote; readline quotes each
    # value inside it as it inserts it), or "escaped" (leadcli has backslashed each value already).
    [[ ${values[0]} == filenames ]] && compopt -o filenames 2>/dev/null
    COMPREPLY=( "${values[@]:1}" )
    return 0
}
complete -o default -F _leadcli_completion %(prog)s
"""

_ZSH = r"""#compdef %(prog)s

_leadcli() {
  local -a lines values shown
  local line
  lines=( "${(@f)$(env %(var)s=complete_zsh %(line)s="${BUFFER[1,CURSOR]}" %(prog)s 2>/dev/null)}" )
  for line in "${lines[@]}"; do
    [[ -z "$line" ]] && continue
    values+=( "${line%%%%$'\t'*}" )
    if [[ "$line" == *$'\t'* ]]; then
      shown+=( "${line%%%%$'\t'*}  -- ${line#*$'\t'}" )
    else
      shown+=( "${line%%%%$'\t'*}" )
    fi
  done
  # compadd quotes each value for the context it is inserted in (bare, '...' or "...").
  (( ${#values} )) && compadd -l -d shown -- "${values[@]}"
}

if [[ "${funcstack[1]}" == _leadcli ]]; then
  # Autoloaded from a file on $fpath (compinit's way): this first call defines the function above,
  # so complete now too, or the first TAB would do nothing.
  _leadcli "$@"
elif (( $+functions[compdef] )); then
  compdef _leadcli %(prog)s
else
  autoload -Uz compinit && compinit -i && compdef _leadcli %(prog)s
fi
"""

_FISH = r"""function __leadcli_complete
    env %(var)s=complete_fish %(line)s=(commandline -cp | string collect) %(prog)s 2>/dev/null
end
complete --command %(prog)s --no-files --arguments '(__leadcli_complete)'
"""

_SCRIPTS: dict[str, str] = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}

COMPLETE_VAR = "_LEADCLI_COMPLETE"
"""The environment variable through which a shell asks leadcli for completions."""


def completion(shell: Shell = typer.Argument(..., help="bash, zsh or fish.")) -> None:
    """Print the shell completion script: commands, options, choices, ids, organizations, offerings.

    \b
    Example (bash): eval "$(leadcli completion bash)"
    """
    typer.echo(script(shell, complete_var=COMPLETE_VAR), nl=False)


def script(shell: str, *, complete_var: str, prog_name: str = "leadcli") -> str:
    """The completion script for `shell`."""
    return _SCRIPTS[shell] % {"var": complete_var, "line": LINE_VAR, "prog": prog_name}


def split_line(line: str) -> tuple[list[str], str]:
    """The words of a shell command line typed up to the cursor, and the word being typed.

    Quotes and backslashes are read as a POSIX shell reads them; a quote still open at the end
    belongs to the word being typed. A line that ends in unquoted white space is typing a new word.
    """
    words, incomplete, _start = _split(line)
    return words, incomplete


def _split(line: str) -> tuple[list[str], str, int]:
    """`split_line`, and where the word being typed starts in `line` (its length for a new word)."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    start = len(line)
    i = 0
    while i < len(line):
        char = line[i]
        if not in_word and not quote and char not in " \t\n":
            start = i
        if quote == "'":
            if char == "'":
                quote = ""
            else:
                word.append(char)
        elif quote == '"':
            if char == '"':
                quote = ""
            elif char == "\\" and i + 1 < len(line) and line[i + 1] in '"\\$`':
                i += 1
                word.append(line[i])
            else:
                word.append(char)
        elif char in " \t\n":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        elif char in "'\"":
            quote, in_word = char, True
        elif char == "\\":
            in_word = True
            if i + 1 < len(line):
                i += 1
                word.append(line[i])
        else:
            word.append(char)
            in_word = True
        i += 1
    if not in_word:
        return words, "", len(line)
    return words, "".join(word), start


# Where readline ends a word in bash (COMP_WORDBREAKS, and white space): a bare word holding one
# of these, or a quote, is left to readline's own quoting.
_BASH_BREAKS = frozenset("\"'><=;|&(: \t\n")
# What a bare word may hold unescaped; everything else gets a backslash (`\ `, `\$`, `\(`, `\'`...).
_BARE_SAFE = frozenset("_./,@%+-")


def _escaped(value: str) -> str:
    return "".join(c if c.isalnum() or c in _BARE_SAFE else "\\" + c for c in value)


def _bash_mode(raw_word: str) -> str:
    """ "escaped" when the word being typed is bare (only backslashes quote in it), else "filenames"."""
    i = 0
    while i < len(raw_word):
        if raw_word[i] == "\\":
            i += 2
            continue
        if raw_word[i] in _BASH_BREAKS:
            return "filenames"
        i += 1
    return "escaped"


def register_shells() -> None:
    """Put leadcli's own completion classes in place of typer's for bash, zsh and fish."""
    from typer._click.shell_completion import CompletionItem, ShellComplete, add_completion_class

    class _LineComplete(ShellComplete):
        with_help = False

        def source_vars(self) -> dict[str, str]:
            return {}

        def source(self) -> str:
            return script(self.name, complete_var=self.complete_var, prog_name=self.prog_name)

        def get_completion_args(self) -> tuple[list[str], str]:
            words, incomplete = split_line(os.environ.get(LINE_VAR, ""))
            return words[1:], incomplete

        def format_completion(self, item: CompletionItem) -> str:
            from leadcli.untrusted import visible

            value = str(item.value)
            help_text = " ".join((item.help or "").split())
            if self.with_help and help_text:
                return f"{value}\t{visible(help_text, lines=False)}"
            return value

        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            items = self.get_completions(args, incomplete)
            # A value that would break the one-value-a-line answer is never offered.
            return "\n".join(self.format_completion(item) for item in items if "\n" not in str(item.value))

    class _Bash(_LineComplete):
        name = "bash"

        def complete(self) -> str:
            line = os.environ.get(LINE_VAR, "")
            mode = _bash_mode(line[_split(line)[2] :])
            answer = super().complete()
            if mode == "escaped":
                answer = "\n".join(_escaped(value) for value in answer.split("\n") if value)
            return f"{mode}\n{answer}"

    class _Zsh(_LineComplete):
        name = "zsh"
        with_help = True

    class _Fish(_LineComplete):
        name = "fish"
        with_help = True

    for cls in (_Bash, _Zsh, _Fish):
        add_completion_class(cls, cls.name)
