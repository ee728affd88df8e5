"""Staff and proxy accounts, API tokens and organisations.

Writes: ``users`` (creation, sign-in with a second factor, lockout, first-run set-up),
``tokens`` (issue, revoke; last use recorded durably), ``organisations`` (create, vet).
Reads: ``tokens.authenticate``; who may sign in is decided in ``users``.
"""
