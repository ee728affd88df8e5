"""Workflow triggers per second, commit included, on SQLite and PostgreSQL.

Run from the project root: ``.venv/bin/python bench/workflows.py`` (``--help`` for options).

Each backend gets a database of its own, migrated with the real migrations: a file in a
temporary folder for SQLite (WAL and ``synchronous=NORMAL``, as the app configures it), and
for PostgreSQL a database created for the run and dropped after it (server defaults, so
``synchronous_commit=on``: every commit waits for the disk). Grievances are filed first
(not measured: filing hashes a PIN with Argon2id, lowered here to keep the set-up short).
Then each grievance goes the happy path through the services, as the console and the
complainant would, each call a unit of work of its own that loads what it needs, fires, and
commits:

    accept             intake.accept                  1 trigger
    classify           intake.classify (one track)    1 trigger
    propose_remedy     tracks.propose_remedy          1 trigger (adds the remedy action too)
    accept_proposal    tracks.accept_proposal         1 trigger
    report_delivered   tracks.report_delivered        1 trigger (start_verification; opens
                                                      the check-in)
    answer_check_in    check_ins.answer_check_in yes  2 triggers (confirm, resolve)

so 7 triggers in 6 commits per grievance, each with its guards, audit event (hash chain)
and outbox message. The first grievances warm up and are not counted. Triggers are
counted from the audit log, and every grievance must end resolved and remedied with the
audit chain intact, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _support import (  # the benchmarks' shared helpers (bench/ is on sys.path)
    FAST_HASHING,
    environment,
    make_app,
    percentiles,
    postgres_admin_url,
    postgres_database,
    server_version,
    sqlite_database,
)
from sqlalchemy import event, func, or_, select

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.audit.log import verify_chain
from remedy.cases import check_ins, intake, tracks
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models import (
    Answer,
    AuditEvent,
    Channel,
    CheckIn,
    Grievance,
    InvolvementTrack,
    Organisation,
    OrganisationKind,
    Outcome,
    RemedyType,
    Role,
    TrackKind,
)
from remedy.workflows import WORKFLOWS

STEPS = (
    ("accept", 1),
    ("classify", 1),
    ("propose_remedy", 1),
    ("accept_proposal", 1),
    ("report_delivered", 1),
    ("answer_check_in", 2),
)
TRIGGERS_PER_GRIEVANCE = sum(triggers for _, triggers in STEPS)


@dataclass
class Cast:
    handler: Actor
    company_id: int


@dataclass
class Result:
    backend: str
    server: str
    grievances: int
    triggers: int
    calls: int
    seconds: float
    latencies_ms: dict[str, list[float]] = field(default_factory=dict, repr=False)
    # SQL statements sent per call, on average, by step (commit included).
    statements: dict[str, float] = field(default_factory=dict)

    @property
    def triggers_per_second(self) -> float:
        return self.triggers / self.seconds

    @property
    def calls_per_second(self) -> float:
        return self.calls / self.seconds

    def summary(self) -> dict[str, Any]:
        every = [value for values in self.latencies_ms.values() for value in values]
        return {
            "backend": self.backend,
            "server": self.server,
            "grievances": self.grievances,
            "triggers": self.triggers,
            "calls": self.calls,
            "seconds": round(self.seconds, 3),
            "triggers_per_second": round(self.triggers_per_second, 1),
            "calls_per_second": round(self.calls_per_second, 1),
            "ms_per_trigger": round(1000 * self.seconds / self.triggers, 2),
            "all_calls_ms": percentiles(every),
            "steps_ms": {name: percentiles(values) for name, values in self.latencies_ms.items()},
            "statements_per_call": self.statements,
        }


# The workload ----------------------------------------------------------------------------


def set_up(count: int) -> tuple[Cast, list[int]]:
    company = create_organisation(OPERATOR, "Acme Mining", OrganisationKind.COMPANY, "KE")
    user = accounts.create_user(
        OPERATOR, "handler@example.org", "a long enough passphrase", Role.HANDLER
    )
    cast = Cast(Actor.for_user(user), company.id)
    ids = []
    for number in range(count):
        form = GrievanceForm(
            channel=Channel.SMS,
            language="en",
            description="The new fence blocks the path to the well.",
            complainant=PersonDetails(f"Person {number}", f"+2547{number:08d}", "en"),
            contact_consent=True,
        )
        ids.append(submit_grievance(OPERATOR, form).grievance.id)
    db.session.remove()
    return cast, ids


def _grievance(grievance_id: int) -> Grievance:
    grievance = db.session.get(Grievance, grievance_id)
    assert grievance is not None
    return grievance


def _track(grievance_id: int) -> InvolvementTrack:
    return _grievance(grievance_id).tracks[0]


def steps(cast: Cast) -> dict[str, Callable[[int], None]]:
    """Each step loads what it acts on (as a request would) and runs one service call."""

    def accept(grievance_id: int) -> None:
        intake.accept(cast.handler, _grievance(grievance_id))

    def classify(grievance_id: int) -> None:
        company = db.session.get(Organisation, cast.company_id)
        assert company is not None
        plan = intake.TrackPlan(company, TrackKind.CAUSE, "Its contractor built the fence.")
        severity = intake.Severity(2, 2, 1)
        intake.classify(cast.handler, _grievance(grievance_id), [plan], severity)

    def propose_remedy(grievance_id: int) -> None:
        action = tracks.RemedyActionPlan(RemedyType.CESSATION, "Open a gate in the fence.")
        tracks.propose_remedy(cast.handler, _track(grievance_id), [action])

    def accept_proposal(grievance_id: int) -> None:
        track = _track(grievance_id)
        tracks.accept_proposal(Actor.complainant(track.grievance.reference), track)

    def report_delivered(grievance_id: int) -> None:
        action = _track(grievance_id).remedy_actions[0]
        tracks.report_delivered(cast.handler, action, "Photos of the open gate.")

    def answer_check_in(grievance_id: int) -> None:
        track = _track(grievance_id)
        check_in: CheckIn = next(c for c in track.check_ins if c.is_open)
        who = Actor.complainant(track.grievance.reference, check_in.person_id)
        check_ins.answer_check_in(who, check_in, Answer.YES, satisfaction=4)

    return {
        "accept": accept,
        "classify": classify,
        "propose_remedy": propose_remedy,
        "accept_proposal": accept_proposal,
        "report_delivered": report_delivered,
        "answer_check_in": answer_check_in,
    }


def count_triggers(after_seq: int) -> int:
    prefixes = [AuditEvent.action.startswith(f"{name}.") for name in WORKFLOWS]
    return (
        db.session.scalar(select(func.count()).where(AuditEvent.seq > after_seq, or_(*prefixes)))
        or 0
    )


def run_backend(backend: str, url: str, instance: Path, grievances: int, warm_up: int) -> Result:
    app = make_app(url, instance, **FAST_HASHING)
    with app.app_context():
        server = server_version(backend)
        cast, ids = set_up(warm_up + grievances)
        workload = steps(cast)
        latencies: dict[str, list[float]] = {name: [] for name, _ in STEPS}
        sent = {name: 0 for name, _ in STEPS}
        counter = [0]

        def count(*_: Any) -> None:
            counter[0] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        event.listen(db.engine, "commit", count)
        measured_from = 0
        started = 0.0
        for position, grievance_id in enumerate(ids):
            if position == warm_up:
                measured_from = db.session.scalar(select(func.max(AuditEvent.seq))) or 0
                started = time.perf_counter()
            for name, _ in STEPS:
                db.session.remove()  # every call starts afresh, like a request
                counter[0] = 0
                begin = time.perf_counter()
                workload[name](grievance_id)
                elapsed = time.perf_counter() - begin
                if position >= warm_up:
                    latencies[name].append(1000 * elapsed)
                    sent[name] += counter[0]
        event.remove(db.engine, "before_cursor_execute", count)
        event.remove(db.engine, "commit", count)
        seconds = time.perf_counter() - started
        db.session.remove()
        triggers = count_triggers(measured_from)
        expected = grievances * TRIGGERS_PER_GRIEVANCE
        assert triggers == expected, f"{triggers} triggers counted, {expected} expected"
        outcomes = db.session.execute(
            select(Grievance.state, Grievance.outcome, func.count()).group_by(
                Grievance.state, Grievance.outcome
            )
        ).all()
        done = ("resolved", Outcome.REMEDIED, warm_up + grievances)
        assert [tuple(row) for row in outcomes] == [done], outcomes
        report = verify_chain()
        assert report.ok, report
        db.session.remove()
        db.engine.dispose()
    return Result(
        backend,
        server,
        grievances,
        triggers,
        grievances * len(STEPS),
        seconds,
        latencies,
        {name: round(total / grievances, 1) for name, total in sent.items()},
    )


# Reporting -------------------------------------------------------------------------------


def print_report(env: dict[str, str], results: list[Result]) -> None:
    print("\n## Environment\n")
    for key, value in env.items():
        print(f"- {key}: {value}")
    for result in results:
        print(f"- {result.backend}: {result.server}")
    print("\n## Throughput (one process, one call after another, each call one commit)\n")
    print("| backend | grievances | triggers | commits | seconds | triggers/s | commits/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(
            f"| {result.backend} | {result.grievances} | {result.triggers} | {result.calls} "
            f"| {result.seconds:.1f} | {result.triggers_per_second:.0f} "
            f"| {result.calls_per_second:.0f} |"
        )
    print("\n## Latency per call in ms (load, guards, state, audit, outbox, commit)\n")
    print("| backend | step | triggers | SQL statements | p50 | p95 | p99 | max |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        summary = result.summary()
        statements = result.statements
        rows = [
            (name, str(n), str(statements[name]), summary["steps_ms"][name]) for name, n in STEPS
        ]
        mean = round(sum(statements.values()) / len(statements), 1)
        rows.append(("every call", "", f"{mean} (mean)", summary["all_calls_ms"]))
        for name, triggers, sql, shown in rows:
            print(
                f"| {result.backend} | {name} | {triggers} | {sql} | {shown['p50']} "
                f"| {shown['p95']} | {shown['p99']} | {shown['max']} |"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--grievances", type=int, default=300, help="measured, per backend")
    parser.add_argument("--warm-up", type=int, default=20, help="grievances run first, unmeasured")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="which"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a PostgreSQL URL whose role may create databases (default: TEST_DATABASE_URL, "
        "then the local server)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)

    results = []
    if args.backend in ("sqlite", "both"):
        with sqlite_database() as (url, instance):
            print(f"sqlite: {args.warm_up} + {args.grievances} grievances ...", file=sys.stderr)
            results.append(run_backend("sqlite", url, instance, args.grievances, args.warm_up))
    if args.backend in ("postgresql", "both"):
        admin = postgres_admin_url(args.postgres_url, env=("TEST_DATABASE_URL",))
        if admin is None:
            print("postgresql: no server that lets us create a database; skipped", file=sys.stderr)
        else:
            with postgres_database(admin) as (url, instance):
                print(
                    f"postgresql: {args.warm_up} + {args.grievances} grievances ...",
                    file=sys.stderr,
                )
                results.append(
                    run_backend("postgresql", url, instance, args.grievances, args.warm_up)
                )
    env = environment(("flask", "sqlalchemy", "flask-sqlalchemy", "transitions", "psycopg"))
    print_report(env, results)
    if args.json:
        payload = {"environment": env, "results": [r.summary() for r in results]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
