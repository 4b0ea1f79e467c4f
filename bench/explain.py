"""EXPLAIN (ANALYZE, BUFFERS) of every SQL query the key pages run, on the database in
DATABASE_URL (the national one from `manage.py seed_scale`):

    DEBUG=0 SECRET_KEY=bench-explain-only-key-never-deployed-0123456789abcdef \\
    ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_scale \\
        .venv/bin/python bench/explain.py [--page "events"] [--all] [--plans]

Prints, per page, each query's execution time and its scans on big tables; with --plans
the full text plans (for docs/performance.md). Queries faster than --min-ms are listed
only with --all.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import discover  # noqa: E402  (sets Django up)

SCAN = re.compile(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan)\S* .*?on (\w+)")


def explain(sql: str) -> tuple[float, str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    total = next(
        (
            float(m.group(1))
            for line in lines
            if (m := re.search(r"Execution Time: ([\d.]+)", line))
        ),
        0.0,
    )
    return total, "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--min-ms", type=float, default=1.0)
    args = parser.parse_args()
    pages, users, _ = discover.pages_and_users()
    sessions = {role: discover.session_for(user) for role, user in users.items()}
    for name, path, role in pages:
        if args.page and name not in args.page:
            continue
        client = Client()
        if role:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        client.get(path)  # warm: caches filled, as under load
        with CaptureQueriesContext(connection) as context:
            status = client.get(path).status_code
        print(f"== {name} {path} (HTTP {status}, {len(context.captured_queries)} queries)")
        for query in context.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            ms, plan = explain(sql)
            if ms < args.min_ms and not args.all:
                continue
            scans = sorted({f"{kind} on {table}" for kind, table in SCAN.findall(plan)})
            print(f"  {ms:8.2f} ms  {sql[:150]}")
            print(f"              {'; '.join(scans)}")
            if args.plans:
                print("    " + plan.replace("\n", "\n    "))


if __name__ == "__main__":
    main()
