"""Load benchmark: the portal under gunicorn (DEBUG off, PostgreSQL, Redis) driven by wrk.

    .venv/bin/python bench/run.py \\
        --database-url postgres://postgres@127.0.0.1:5432/pp_scale \\
        --demo-database-url postgres://postgres@127.0.0.1:5432/pp_scale_demo \\
        --redis-url redis://127.0.0.1:6379/10

For each database (the national one made by `manage.py seed_scale`, and the small demo
one, seeded with `manage.py seed_demo` here if it is empty) it serves the portal with
gunicorn, loads each key page with wrk for a few seconds at concurrency 8, and prints
requests/s, p50/p95/p99 latency, SQL queries per request (counted with Django's test
Client, bench/discover.py) and the ratio to a bare view rendering a one-line template
through the same middleware. One table shows both datasets side by side; it is also
written to var/bench/ as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "report.lua"
OUT_DIR = ROOT / "var" / "bench"

# Targets from issue 11.
P95_TARGET_MS = 100.0
MIN_SHARE_OF_BARE = 0.30
MAX_GROWTH = 1.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="The national (seed_scale) DB.")
    parser.add_argument(
        "--demo-database-url",
        default="",
        help="A second database for the demo data (migrated and seeded here if empty).",
    )
    parser.add_argument("--redis-url", required=True, help="Cache and broker, e.g. DB 10.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per page.")
    parser.add_argument("--connections", type=int, default=8, help="wrk concurrency.")
    parser.add_argument("--wrk-threads", type=int, default=2)
    # Two cores: three processes keep both cores busy while one waits on PostgreSQL, and
    # three threads each give 9 request slots for wrk's 8 connections (no accept queue).
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=3, help="gunicorn threads per worker.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="Comma-separated page names to run.")
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="Mixed mode (national data only): the pages read while bench/writer.py POSTs "
        "RSVPs and signatures as signed-in people at each of --rates.",
    )
    parser.add_argument("--rates", default="0,10,50", help="Mixed mode: POSTs per second.")
    parser.add_argument("--people", type=int, default=3000, help="Mixed mode: writers' pool.")
    parser.add_argument(
        "--mixed-pages",
        default="home,events,event page,festival programme,group page,campaign page,"
        "review (rep),bare",
    )
    return parser.parse_args()


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(2)


def check_tools() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        fail(
            "wrk is not installed. On Debian/Ubuntu: sudo apt-get install -y wrk "
            "(https://github.com/wg/wrk elsewhere)."
        )
    if not (VENV_BIN / "gunicorn").exists():
        fail(f"gunicorn is not in {VENV_BIN}; install requirements.lock into the venv.")
    return wrk


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def base_env(args, database_url: str, label: str) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        DEV_TOOLS="1",  # the bare view and the generators live in the bench app
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=args.redis_url,
        # A fresh prefix per run and dataset: nothing cached by another run or by the
        # other dataset is served, and nothing in the Redis database is deleted.
        CACHE_KEY_PREFIX=f"bench-{label}-{int(time.time())}",
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *command: str, quiet: bool = True) -> None:
    subprocess.run(  # noqa: S603 (our own fixed commands)
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare(args, env: dict, label: str, *, seed_demo: bool) -> dict:
    print(f"== {label}: migrate, collectstatic, discover pages", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if seed_demo:
        has_groups = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from groups.models import LocalGroup; print(LocalGroup.objects.exists())",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if has_groups != "True":
            print("   seeding the demo data (manage.py seed_demo)", flush=True)
            manage({**env, "DEBUG": "1"}, "seed_demo")
    found = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "discover.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(found.stdout)


class Gunicorn:
    def __init__(self, args, env: dict):
        self.args, self.env = args, env
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        a = self.args
        command = [
            str(VENV_BIN / "gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{a.port}",
            "--workers",
            str(a.workers),
            "--threads",
            str(a.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{a.port}/healthz", timeout=2):  # noqa: S310 # nosec B310
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None:
                    fail("gunicorn exited while starting; see its output above.")
                time.sleep(0.3)
        self.__exit__(None, None, None)
        fail("gunicorn did not answer /healthz within 30 s.")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_wrk(wrk: str, args, url: str, cookie: str | None, seconds: int) -> dict:
    command = [
        wrk,
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    match = re.search(r"BENCH-JSON (\{.*\})", output)
    if not match:
        fail(f"could not read wrk's output:\n{output}")
    data = json.loads(match.group(1))
    seconds_run = data["duration_us"] / 1e6
    return {
        "rps": data["requests"] / seconds_run if seconds_run else 0.0,
        "p50": data["p50_us"] / 1000,
        "p95": data["p95_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "requests": data["requests"],
        "errors": data["non_2xx_3xx"] + data["socket_errors"],
    }


def bench_dataset(args, wrk: str, label: str, database_url: str, *, seed_demo: bool) -> dict:
    env = base_env(args, database_url, label)
    found = prepare(args, env, label, seed_demo=seed_demo)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    sizes = ", ".join(f"{k} {v:,}" for k, v in found["sizes"].items())
    print(f"   data: {sizes}", flush=True)
    for note in found["notes"]:
        print(f"   note: {note}", flush=True)
    results = {}
    with Gunicorn(args, env):
        for page in found["pages"]:
            name = page["name"]
            if only and name not in only and name != "bare":
                continue
            result = {"path": page["path"], "queries": page["queries"]}
            result["queries_cold"] = page["queries_cold"]
            result["cold_ms"] = page["cold_ms"]
            if page["status"] != 200:
                result["skipped"] = f"HTTP {page['status']}"
                print(f"   {name:<20} skipped: {page['path']} answered {page['status']}")
                results[name] = result
                continue
            cookie = None
            if page["role"]:
                # A signed-in browser sends its session and the CSRF cookie it was given
                # at sign-in; without the latter every response would mint a new one.
                cookie = (
                    f"{found['cookie']}={found['sessions'][page['role']]}; "
                    f"{found['csrf_cookie']}={found['csrf_secret']}"
                )
            url = f"http://127.0.0.1:{args.port}{page['path']}"
            if args.warmup:
                run_wrk(wrk, args, url, cookie, args.warmup)
            result.update(run_wrk(wrk, args, url, cookie, args.duration))
            results[name] = result
            print(
                f"   {name:<20} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms  "
                f"p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
                f"{page['queries']} queries"
                + (f"  ({result['errors']} errors)" if result["errors"] else "")
                + ("  (no request completed in time)" if not result["requests"] else ""),
                flush=True,
            )
    return {"sizes": found["sizes"], "notes": found["notes"], "pages": results}


class Writer:
    """bench/writer.py at ``rate`` POSTs a second, for the length of a with-block."""

    def __init__(self, args, env: dict, rate: float):
        self.args, self.env, self.rate = args, env, rate
        self.process: subprocess.Popen | None = None
        self.summary: dict = {}

    def __enter__(self):
        if not self.rate:
            return self
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "bench" / "writer.py"),
                f"http://127.0.0.1:{self.args.port}",
                str(self.rate),
                str(self.args.people),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self.process.stdout.readline()
        if '"ready"' not in ready:
            fail(f"the writer did not start: {ready!r}")
        time.sleep(3)  # let it reach its rate before measuring
        return self

    def __exit__(self, *exc):
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            out, _ = self.process.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        lines = [line for line in out.splitlines() if line.startswith("{")]
        self.summary = json.loads(lines[-1]) if lines else {}


def bench_mixed(args, wrk: str, database_url: str) -> dict:
    env = base_env(args, database_url, "mixed")
    found = prepare(args, env, "national (mixed)", seed_demo=False)
    wanted = [name.strip() for name in args.mixed_pages.split(",") if name.strip()]
    pages = [p for p in found["pages"] if p["name"] in wanted and p["status"] == 200]
    rates = [float(r) for r in args.rates.split(",")]
    results: dict = {"sizes": found["sizes"], "rates": {}}
    with Gunicorn(args, env):
        for rate in rates:
            print(f"== {rate:g} POST/s", flush=True)
            measured = {}
            with Writer(args, env, rate) as writer:
                for page in pages:
                    cookie = None
                    if page["role"]:
                        cookie = (
                            f"{found['cookie']}={found['sessions'][page['role']]}; "
                            f"{found['csrf_cookie']}={found['csrf_secret']}"
                        )
                    url = f"http://127.0.0.1:{args.port}{page['path']}"
                    if args.warmup:
                        run_wrk(wrk, args, url, cookie, args.warmup)
                    measured[page["name"]] = run_wrk(wrk, args, url, cookie, args.duration)
                    r = measured[page["name"]]
                    print(
                        f"   {page['name']:<20} {r['rps']:7.1f} req/s  p95 {r['p95']:6.1f} ms"
                        + (f"  ({r['errors']} errors)" if r["errors"] else ""),
                        flush=True,
                    )
            results["rates"][f"{rate:g}"] = {"pages": measured, "writer": writer.summary}
            if writer.summary:
                print(f"   writer: {writer.summary}", flush=True)
    return results


def mixed_table(result: dict) -> str:
    rates = list(result["rates"])
    base = result["rates"][rates[0]]["pages"]
    header = "| page | " + " | ".join(f"{r} POST/s: req/s, p95 ms" for r in rates) + " | targets |"
    lines = [header, "|" + "---|" * (len(rates) + 2)]
    for name in base:
        cells, missed = [name], []
        for rate in rates:
            page = result["rates"][rate]["pages"].get(name)
            if not page:
                cells.append("–")
                continue
            share = page["rps"] / base[name]["rps"] if base[name]["rps"] else 0
            cell = f"{page['rps']:.0f}, {page['p95']:.1f}"
            if rate != rates[0]:
                cell += f" ({share:.0%})"
            if page["errors"]:
                cell += f", {page['errors']} errors"
            cells.append(cell)
            if not page["requests"]:
                missed.append(f"{rate}/s: no request completed")
                continue
            if name != "bare" and float(rate) == 10 and (share < 0.7 or page["p95"] >= 50):
                missed.append("10/s: <70% or p95 ≥ 50 ms")
            if float(rate) == 50 and (page["p95"] >= 100 or page["errors"]):
                missed.append("50/s: p95 ≥ 100 ms or errors")
        if name == "review (rep)" and "bare" in base:
            share_of_bare = base[name]["rps"] / base["bare"]["rps"]
            if share_of_bare < MIN_SHARE_OF_BARE:
                missed.append(f"{share_of_bare:.0%} of bare")
        cells.append("ok" if not missed else "missed: " + "; ".join(missed))
        lines.append("| " + " | ".join(cells) + " |")
    writers = []
    for rate in rates[1:]:
        w = result["rates"][rate]["writer"]
        if w:
            writers.append(
                f"{rate} POST/s asked: {w['posts']} POSTs in {w['seconds']:.0f} s "
                f"({w['posts'] / w['seconds']:.1f}/s), answers {w['statuses']}, "
                f"{w.get('behind', 0)} not sent because 32 were still waiting"
            )
    return "\n".join(lines) + ("\n\nWriter: " + "; ".join(writers) if writers else "")


def table(runs: dict) -> str:
    national = runs["national"]["pages"]
    demo = runs.get("demo", {}).get("pages", {})
    bare_national = national.get("bare", {}).get("rps")
    bare_demo = demo.get("bare", {}).get("rps")
    header = (
        "| page | national req/s | p50 ms | p95 ms | p99 ms | queries (uncached) "
        "| after an edit ms | × bare | demo req/s | p95 ms | queries (uncached) | × bare "
        "| demo÷national req/s | targets |"
    )
    lines = [header, "|" + "---|" * 14]
    for name, page in national.items():
        if "skipped" in page:
            lines.append(f"| {name} | skipped ({page['skipped']}) |" + " |" * 12)
            continue
        if not page["requests"]:
            lines.append(f"| {name} | no request completed in the run |" + " |" * 12)
            continue
        small = demo.get(name, {})
        share = page["rps"] / bare_national if bare_national else None
        growth = small["rps"] / page["rps"] if small.get("rps") and page["rps"] else None
        missed = []
        if page["p95"] >= P95_TARGET_MS:
            missed.append("p95")
        if name != "bare" and share is not None and share < MIN_SHARE_OF_BARE:
            missed.append("<30% bare")
        if name != "bare" and growth is not None and growth > MAX_GROWTH:
            missed.append(">1.5× demo")
        small_share = small["rps"] / bare_demo if small.get("rps") and bare_demo else None
        cells = [
            name,
            f"{page['rps']:.0f}",
            f"{page['p50']:.1f}",
            f"{page['p95']:.1f}",
            f"{page['p99']:.1f}",
            f"{page['queries']} ({page['queries_cold']})",
            f"{page['cold_ms']:.0f}" if "cold_ms" in page else "–",
            f"{share:.2f}" if share is not None else "–",
            f"{small['rps']:.0f}" if small.get("rps") else "–",
            f"{small['p95']:.1f}" if small.get("p95") else "–",
            f"{small['queries']} ({small['queries_cold']})" if small.get("rps") else "–",
            f"{small_share:.2f}" if small_share is not None else "–",
            f"{growth:.2f}" if growth is not None else "–",
            "ok" if not missed else "missed: " + ", ".join(missed),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    args = parse_args()
    wrk = check_tools()
    info = machine()
    started = time.monotonic()
    if args.mixed:
        return report_mixed(args, wrk, info, started)
    runs = {"national": bench_dataset(args, wrk, "national", args.database_url, seed_demo=False)}
    if args.demo_database_url:
        runs["demo"] = bench_dataset(args, wrk, "demo", args.demo_database_url, seed_demo=True)
    settings = (
        f"gunicorn {args.workers} workers × {args.threads} threads (gthread), DEBUG off, "
        f"CONN_MAX_AGE default; wrk -t{args.wrk_threads} -c{args.connections} "
        f"-d{args.duration}s after a {args.warmup}s warm-up per page"
    )
    sizes = "; ".join(
        f"{label}: " + ", ".join(f"{k} {v:,}" for k, v in run["sizes"].items())
        for label, run in runs.items()
    )
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine_line = ", ".join(f"{k} {v}" for k, v in info.items())
    report = (
        f"Benchmark {when} ({time.monotonic() - started:.0f} s)\n\n"
        f"Machine: {machine_line}\n\n{settings}\n\nData: {sizes}\n\n{table(runs)}\n"
    )
    notes = [f"{label}: {note}" for label, run in runs.items() for note in run["notes"]]
    if notes:
        report += "\nNotes: " + "; ".join(notes) + "\n"
    print()
    print(report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT_DIR / f"bench-{stamp}.md").write_text(report)
    (OUT_DIR / f"bench-{stamp}.json").write_text(
        json.dumps({"machine": info, "settings": settings, "runs": runs}, indent=2)
    )
    print(f"Written to {OUT_DIR / f'bench-{stamp}.md'} and .json")


def report_mixed(args, wrk: str, info: dict, started: float) -> None:
    result = bench_mixed(args, wrk, args.database_url)
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine_line = ", ".join(f"{k} {v}" for k, v in info.items())
    sizes = ", ".join(f"{k} {v:,}" for k, v in result["sizes"].items())
    report = (
        f"Mixed benchmark {when} ({time.monotonic() - started:.0f} s)\n\nMachine: "
        f"{machine_line}\n\ngunicorn {args.workers} workers × {args.threads} threads, DEBUG "
        f"off; wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s after "
        f"{args.warmup}s per page, while bench/writer.py GETs then POSTs RSVPs and signatures "
        f"as {args.people} signed-in people\n\nData: {sizes}\n\n{mixed_table(result)}\n"
    )
    print()
    print(report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT_DIR / f"mixed-{stamp}.md").write_text(report)
    (OUT_DIR / f"mixed-{stamp}.json").write_text(
        json.dumps({"machine": info, "result": result}, indent=2)
    )
    print(f"Written to {OUT_DIR / f'mixed-{stamp}.md'} and .json")


if __name__ == "__main__":
    main()
