"""Periodic jobs: a registry the app fills, and the runner the worker calls."""
