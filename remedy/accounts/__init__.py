"""Staff and proxy accounts, API tokens and organisations.

Writes: ``users`` (creation, sign-in with a second factor, lockout, first-run set-up),
``lifecycle`` (deactivate, reactivate, role, unlock, reset the second factor),
``tokens`` (issue, revoke; last use recorded durably), ``organisations`` (create, vet
with a note). Reads: ``tokens.authenticate``, ``roster`` (the list of accounts); who may
sign in is decided in ``users``.
"""
