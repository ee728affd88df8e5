"""Outbound webhooks: what other systems hear when a case changes state (docs/webhooks.md)."""
