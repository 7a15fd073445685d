"""The errors nccd raises about a named file; the CLI turns them into exit codes in one place."""

from __future__ import annotations


class NccdError(Exception):
    """Something wrong with one file; ``str()`` is ``"PATH: reason"``."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):
        # Keeps the error picklable across worker processes.
        return (type(self), (self.path, self.reason))
