"""What goes wrong with a backup, and the exit code each answer gives the operator."""

from __future__ import annotations


class BackupError(Exception):
    """A backup command could not do its work; the message says what to do."""

    exit_code = 1


class BadBackup(BackupError):
    """The backup cannot be trusted: damaged, truncated, tampered with, or another key's."""

    exit_code = 1


class UsageProblem(BackupError):
    """The command cannot run as asked (no key, a database that is not empty...)."""

    exit_code = 2
