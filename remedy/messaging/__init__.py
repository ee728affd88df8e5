"""Outbound messages: the outbox, the templates that fill it, and (later) the senders."""
