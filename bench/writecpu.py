"""What a browser's write costs the machine, in CPU seconds counted from /proc rather than
timed: comparable on a busy machine, where the mixed benchmark's req/s are not.

    .venv/bin/python bench/writecpu.py \\
        --database-url postgres://postgres@127.0.0.1:5432/pp_scale \\
        --redis-url redis://127.0.0.1:6379/10 [--people 20]

It serves the portal with gunicorn as `bench/run.py` does (DEBUG off, the same workers and
threads), then, one request at a time, has --people signed-in people (sessions made as
the login view makes them, bench.discover.session_for) do what bench/writer.py does in
the mixed benchmark: GET an event page then POST its RSVP form, GET a petition then POST
its signature form; and, for comparison, a second GET of the same page and a cached
anonymous page and the bare view. For each step it prints the CPU milliseconds per
request used by the gunicorn processes and by this database's PostgreSQL backends (read
from /proc/<pid>/stat before and after; other databases' backends, Redis and this
script are not counted). On 2 cores, a write that costs C ms at R writes a second takes
R x C / 2000 of the machine from everyone else: the share the mixed benchmark's readers
lose.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
# People whose pages and writes are not counted: each gunicorn process's first signed-in
# pages compile their templates and fill its in-process caches.
WARM_UP = 12


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="The national (seed_scale) DB.")
    parser.add_argument("--redis-url", required=True, help="Cache and broker, e.g. DB 10.")
    parser.add_argument("--people", type=int, default=20, help="People per step.")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    return parser.parse_args()


def cpu_seconds(gunicorn_pid: int, database: str) -> dict[tuple[str, int], float]:
    """CPU seconds so far, per process, of gunicorn (master and workers) and of this
    database's PostgreSQL backends (their process titles name the database)."""
    used = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parent, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK
        if int(pid) == gunicorn_pid or parent == gunicorn_pid:
            used["gunicorn", int(pid)] = seconds
        elif command.startswith("postgres: ") and f" {database} " in command:
            used["postgres", int(pid)] = seconds
    return used


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds used between two readings by the processes alive at the second (one
    that started meanwhile counts from zero)."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for (kind, pid), seconds in after.items():
        totals[kind] += seconds - before.get((kind, pid), 0.0)
    return totals


def main() -> None:
    args = parse_args()
    if not Path("/proc/self/stat").exists():
        run.fail("this benchmark reads /proc: it runs on Linux only.")
    database = args.database_url.rsplit("/", 1)[1]
    env = run.base_env(args, args.database_url, "writecpu")
    # Connections kept for the whole run: a PostgreSQL backend that closed during a step
    # would take the CPU it used with it.
    env["CONN_MAX_AGE"] = "600"
    found = run.prepare(args, env, "national (write CPU)", seed_demo=False)
    pages = {page["name"]: page for page in found["pages"]}
    # This process asks the database who to be and what to write to, as the writer does.
    os.environ.update(env)
    from bench import writer
    from bench.discover import session_for
    from portal.models import User

    events, actions = writer.targets()
    if not events or not actions:
        run.fail("no open upcoming event or petition to write to: seed the database first.")
    base = f"http://127.0.0.1:{args.port}"
    people = [
        writer.Person(base, session_for(user))
        for user in User.objects.filter(
            is_active=True, email_verified=True, is_staff=False
        ).order_by("?")[: 2 * args.people + WARM_UP]
    ]
    rsvpers, signers = people[: args.people], people[args.people : 2 * args.people]
    warm = people[2 * args.people :]
    anonymous = writer.Person(base, "")
    anonymous.cookies.clear()

    def event(i: int) -> str:
        return f"/events/{events[i % len(events)]}/"

    def petition(i: int) -> str:
        slug, pk = actions[i % len(actions)]
        return f"/campaigns/{slug}/actions/{pk}/"

    steps = [
        (
            "signed-in GET event page, first page of the session",
            rsvpers,
            lambda i, p: p._open(event(i)),
        ),
        ("signed-in GET event page again", rsvpers, lambda i, p: p._open(event(i))),
        (
            "RSVP: GET event page + POST (as the writer)",
            rsvpers,
            lambda i, p: p.get_then_post(event(i), event(i) + "rsvp/", {}),
        ),
        (
            "signed-in GET petition, first page of the session",
            signers,
            lambda i, p: p._open(petition(i)),
        ),
        (
            "signature: GET petition + POST (as the writer)",
            signers,
            lambda i, p: p.get_then_post(petition(i), petition(i) + "take/", {}),
        ),
        ("anonymous GET event page (cached)", rsvpers, lambda i, p: anonymous._open(event(0))),
        ("anonymous GET bare view", rsvpers, lambda i, p: anonymous._open(pages["bare"]["path"])),
    ]
    results = []
    with run.Gunicorn(args, env) as server:
        anonymous._open(event(0))
        anonymous._open(pages["bare"]["path"])
        for i, person in enumerate(warm):
            person.get_then_post(event(i), event(i) + "rsvp/", {})
            person.get_then_post(petition(i), petition(i) + "take/", {})
        for label, crowd, step in steps:
            before = cpu_seconds(server.process.pid, database)
            statuses = [step(i, person) for i, person in enumerate(crowd)]
            after = cpu_seconds(server.process.pid, database)
            per = {k: v / len(crowd) * 1000 for k, v in spent(before, after).items()}
            results.append({"step": label, "requests": len(crowd), **per})
            answers = sorted({str(s if isinstance(s, int) else s[0]) for s in statuses})
            print(
                f"   {label:<52} gunicorn {per['gunicorn']:6.1f} ms  "
                f"PostgreSQL {per['postgres']:5.1f} ms  (answers {', '.join(answers)})",
                flush=True,
            )
    out = run.OUT_DIR / "writecpu.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"Written to {out}. The clock tick is {1000 / TICK:.0f} ms: use --people 20 or more.")


if __name__ == "__main__":
    main()
