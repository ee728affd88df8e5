"""Signing in and out for staff and proxy members, and the first-run set-up."""
