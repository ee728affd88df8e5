"""Backups: a consistent copy of the database and the instance's files, sealed under a
backup key of its own (``docs/operations.md``, "Backups").

The backup key is not a data key: a stolen backup is useless without it, and a stolen
backup key is useless without the backups. Neither holds the data keys
(``REMEDY_ENCRYPTION_KEY``), so a backup and its backup key together still read nothing
personal: the data keys live elsewhere again.
"""
