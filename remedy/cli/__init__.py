"""Operator commands: ``flask --app wsgi <group> <command>``."""

from __future__ import annotations

from flask import Flask

from remedy.cli import (
    accounts,
    audit,
    backup,
    deadlines,
    demo,
    keys,
    metrics,
    people,
    receipts,
    referrals,
    report,
    retention,
    setup,
    tokens,
    voice,
    webhooks,
    whatsapp,
    worker,
    workflows,
)


def register_commands(app: Flask) -> None:
    for group in (
        accounts.orgs,
        accounts.users,
        audit.audit,
        backup.backup,
        keys.keys,
        metrics.metrics,
        workflows.workflows,
        deadlines.deadlines,
        referrals.referrals,
        retention.retention,
        people.people,
        receipts.receipts,
        report.report,
        demo.demo,
        tokens.tokens,
        voice.voice,
        webhooks.webhooks,
        whatsapp.whatsapp,
    ):
        app.cli.add_command(group)
    app.cli.add_command(setup.setup_link)
    app.cli.add_command(worker.worker)
