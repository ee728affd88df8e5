"""What every layer shares: configuration and settings, extensions, crypto, references,
passwords, roles and actors, languages, errors with their HTTP status, the unit of work,
and signals. Imports nothing else of Remedy.
"""
