"""The errors leadcli reports to users, and the exit codes they map to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status leadcli uses."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class LeadcliError(Exception):
    """A problem the user can act on; printed as one line per problem, never a traceback."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """The lines to print, without the program-name prefix."""
        return [self.message]


class UsageError(LeadcliError):
    """An option or argument value that cannot be used."""

    exit_code = ExitCode.USAGE


class NotFoundError(LeadcliError):
    """An ID or name that matches nothing."""


DATA_FILES = "the data files"


class ContentError(LeadcliError):
    """One or more problems in a file leadcli reads, each as `FILE:LINE: field: what is wrong`.

    `about` names what is at fault, for the heading: the data files (the default), or
    e.g. `the answers file notes.yaml` or `the export backup.json`.
    """

    def __init__(self, problems: list[str], *, about: str = DATA_FILES) -> None:
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in {about}")
        self.problems = problems
        self.about = about

    def lines(self) -> list[str]:
        return list(self.problems)


class VersionConflictError(LeadcliError):
    """A question-set version that would name a second text (the set changed, its version did not)."""


class OutputError(LeadcliError):
    """Results could not be written (a full disk, a closed terminal, an I/O error)."""


class Interrupted(LeadcliError):
    """The user stopped the program (Ctrl-C or end of input)."""

    exit_code = ExitCode.INTERRUPTED


class StoreUnreachable(LeadcliError):
    """The team store could not take what waits on this machine (it stays there, safe)."""


class Erased(LeadcliError):
    """An interview an organization's erasure removed from the team store: it is not brought back
    (this machine keeps its own copy until its user deletes it)."""
