"""Opening a case without an account: reference and PIN on every channel.

Writes: ``pin_reset`` (a new PIN through the phone on file), ``prepared_pins`` (hashes made
ahead of time). Reads and rules: ``case_access.open_case`` (one lockout per reference, a
rate limit per source; a locked reference, a wrong PIN and an unknown reference answer
alike).
"""
