"""``make loadtest``: load and fault tests against gunicorn + PostgreSQL + Redis started here.

Starts its own PostgreSQL cluster (initdb in LOADTEST_DIR, port LOADTEST_PG_PORT=5544),
its own Redis (LOADTEST_REDIS_PORT=6390) and two pairs of gunicorn web processes, DEBUG off,
sharing the database and Redis as machines behind a proxy would: 8122 and 8123 with the page
cache on, 8124 and 8125 with it off (LOADTEST_WEB_PORTS, LOADTEST_COLD_PORTS; all started
at once, never restarted). Fills the database with generated points (50,000; ``--small``:
500), then runs Locust headless and reports p50 / p95 / p99 per page, with the page cache
warm (a realistic set of popular pages, fetched once first) and off (every request runs
its queries; random filter combinations), and through four faults:

1. PostgreSQL stopped and started again mid-load: requests fail with 503 meanwhile (never
   hang); after it is back, every request succeeds without restarting anything.
2. Redis stopped mid-load: no request fails.
3. A gunicorn worker killed mid-load: only its requests fail; every search recorded by a
   request that finished (a content gap row) is in the database.
4. Two web processes share sessions, the API throttle and sign-in lockouts.

Then the RSS of every gunicorn worker (must stay under 250 MB). Exits non-zero if a
requirement is not met. ``--small`` (CI): 500 points, 4 users, 5-6 s a phase, every fault
and check of the full form but not the latency targets. Every phase's duration is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from pages import popular

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("LOADTEST_DIR", "/tmp/rt-loadtest"))
PG_PORT = int(os.environ.get("LOADTEST_PG_PORT", "5544"))
REDIS_PORT = int(os.environ.get("LOADTEST_REDIS_PORT", "6390"))
WEB_PORTS = [int(p) for p in os.environ.get("LOADTEST_WEB_PORTS", "8122,8123").split(",")]
COLD_PORTS = [int(p) for p in os.environ.get("LOADTEST_COLD_PORTS", "8124,8125").split(",")]
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
THREADS = int(os.environ.get("LOADTEST_THREADS", "1"))
RSS_LIMIT_MB = 250
PG_BIN = Path(os.environ.get("LOADTEST_PG_BIN", "")) if os.environ.get("LOADTEST_PG_BIN") else None
SECRET = "loadtest-secret-key-" + "x9Kq2" * 10

SMALL = False
failures: list[str] = []
timings: list[tuple[str, float]] = []


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@contextlib.contextmanager
def phase(name: str):
    """Time a phase: logged now, and listed again at the end."""
    started = time.time()
    try:
        yield
    finally:
        took = time.time() - started
        timings.append((name, took))
        log(f"{name}: {took:.1f} s")


def require(ok: bool, what: str) -> None:
    log(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def pg_bin(name: str) -> str:
    if PG_BIN:
        return str(PG_BIN / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        sys.exit(f"{name} not found: install PostgreSQL's server (or set LOADTEST_PG_BIN)")
    return str(candidates[-1])


def as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Stack:
    def __init__(self, points: int, small: bool):
        self.points, self.small = points, small
        self.pgdata = WORK / "pg"
        self.redis: subprocess.Popen | None = None
        self.web: dict[int, subprocess.Popen] = {}
        self.database_url = f"postgresql://postgres@127.0.0.1:{PG_PORT}/loadtest"

    # --- services -------------------------------------------------------------------
    def env(self, page_cache: bool = True) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            DJANGO_SECRET_KEY=SECRET,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            TOOLKIT_SITE_URL="https://localhost",
            DJANGO_DEBUG="false",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_TRUSTED_PROXIES="127.0.0.1",
            TOOLKIT_PAGE_CACHE="on" if page_cache else "off",
            DJANGO_LOG_LEVEL="WARNING",
            REDIS_CONNECT_TIMEOUT="0.3",
            REDIS_TIMEOUT="0.3",
            DJANGO_SETTINGS_MODULE="benchmarks.loadtest.settings",
            LOADTEST_STATIC_ROOT=str(WORK / "static"),
            LOADTEST_STATIC="finders" if self.small else "collected",
        )
        return env

    def pg_start(self) -> None:
        subprocess.run(
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(WORK / "pg.log"),
                    "-w",
                    "-o",
                    f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {WORK} "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=200",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def pg_stop(self) -> None:
        subprocess.run(
            as_postgres([pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )

    def redis_start(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        # Ready when it answers PING; if it exits (the port is taken by another Redis),
        # stop: every Redis check would be made against a server this script cannot stop.
        for _ in range(100):
            if self.redis.poll() is not None:
                sys.exit(f"redis-server could not start on {REDIS_PORT} (port in use?)")
            try:
                with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        sys.exit(f"redis-server on {REDIS_PORT} did not answer")

    def redis_stop(self) -> None:
        if self.redis:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env={**self.env(), **(env or {})},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"manage.py {args[0]} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
        return result.stdout

    def psql(self, sql: str, database: str = "loadtest") -> str:
        return subprocess.run(
            [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres"]
            + ["-qAt", "-d", database, "-c", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def setup(self) -> None:
        if WORK.exists():
            self.pg_stop()
            shutil.rmtree(WORK)
        WORK.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(WORK, "postgres")
            os.chmod(WORK, 0o777)
        started = time.time()
        with phase("setup: PostgreSQL cluster (initdb, start, CREATE DATABASE) and Redis"):
            subprocess.run(
                as_postgres(
                    [pg_bin("initdb"), "-D", str(self.pgdata), "-U", "postgres"]
                    + ["--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            self.pg_start()
            self.psql("CREATE DATABASE loadtest", database="postgres")
            self.redis_start()
        # The static files need no database: collected alongside the migrations and data
        # (the small form serves them from the apps' folders: nothing to collect).
        static = subprocess.Popen(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"]
            if not self.small
            else ["true"],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        static_started = time.time()
        if self.small:  # no static files to wait for: start them now, beside the setup
            self.web_spawn()
        with phase("setup: schema, seed content, points, VACUUM ANALYZE, users (one process)"):
            output = self.manage(
                "shell",
                "-c",
                SETUP_SCRIPT,
                env={"LOADTEST_POINTS": str(self.points), "LOADTEST_DATA": str(WORK / "data.json")},
            )
        for line in output.splitlines():
            if line.startswith("step "):
                log("  " + line[5:])
        _, errors = static.communicate()
        if static.returncode:
            sys.exit(f"collectstatic failed:\n{errors[-3000:]}")
        log(f"  collectstatic (alongside): {time.time() - static_started:.1f} s")
        if not self.small:  # a worker reads the static files' manifest once, at start
            self.web_spawn()
        log(f"{self.points} points generated and indexed in {time.time() - started:.0f} s")

    def web_spawn(self) -> None:
        """Both pairs at once (page cache on: WEB_PORTS; off: COLD_PORTS), started once,
        while the database is filled (they need it only to answer)."""
        threads = ["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []
        # The small form loads the app once per process and forks its workers from it (half
        # the start-up on 2 cores); the full form starts them as production does.
        preload = ["--preload"] if self.small else []
        for ports, page_cache in ((WEB_PORTS, True), (COLD_PORTS, False)):
            for port in ports:
                self.web[port] = subprocess.Popen(
                    [
                        str(BIN / "gunicorn"),
                        "reviews_toolkit.wsgi",
                        "-b",
                        f"127.0.0.1:{port}",
                        "-w",
                        str(WORKERS),
                        *threads,
                        *preload,
                        "--timeout",
                        "30",
                        "--graceful-timeout",
                        "5",
                        "--max-requests",
                        "0",
                    ],
                    cwd=ROOT,
                    env=self.env(page_cache),
                    stdout=open(WORK / f"web-{port}.log", "a"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                )

    def web_wait(self) -> None:
        for port in self.web:
            for _ in range(300):
                if fetch(f"http://127.0.0.1:{port}/healthz/", timeout=2)[0] == 200:
                    break
                time.sleep(0.1)
            else:
                sys.exit(f"the web process on {port} did not start: see {WORK}/web-{port}.log")
        log(
            f"web processes: page cache on {WEB_PORTS}, off {COLD_PORTS} ({WORKERS} "
            + (f"gthread workers x {THREADS} threads" if THREADS > 1 else "sync workers")
            + " each)"
        )

    def web_stop(self) -> None:
        for process in self.web.values():
            process.terminate()
        for process in self.web.values():
            process.wait(20)
        self.web = {}

    def workers(self, ports: list[int] | None = None) -> list[int]:
        masters = {p.pid for port, p in self.web.items() if ports is None or port in ports}
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) in masters:
                found.append(int(stat.parent.name))
        return found

    def teardown(self) -> None:
        self.web_stop()
        self.redis_stop()
        self.pg_stop()


# One Django process for the whole database setup (each manage.py costs seconds of start-up).
SETUP_SCRIPT = """
import json, os, time
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from practice_points.models import PracticePoint
from session_packs.models import TRAINER_GROUP
from themes.models import Agency, Theme

def step(name, call):
    started = time.time()
    call()
    print(f"step {name}: {time.time() - started:.1f} s", flush=True)

def analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

def users():
    User = get_user_model()
    for name in ("lt-locked", "lt-reader"):
        user, _ = User.objects.get_or_create(username=name)
        user.set_password("Right-passphrase-2026")
        user.save()
        user.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])

step("migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
step("load_seed_content", lambda: call_command("load_seed_content", verbosity=0))
step("generate_demo_data", lambda: call_command(
    "generate_demo_data", "--practice-points", os.environ["LOADTEST_POINTS"], "--yes",
    "--seed", "17", verbosity=0))
step("VACUUM ANALYZE", analyze)
step("users for the shared-state checks", users)
with open(os.environ["LOADTEST_DATA"], "w") as handle:
    json.dump({
        "themes": list(Theme.objects.public().values_list("slug", flat=True)),
        "agencies": list(Agency.objects.values_list("slug", flat=True)),
        "points": list(
            PracticePoint.objects.public().order_by("?").values_list("pk", flat=True)[:500]
        ),
    }, handle)
"""


def fetch(url: str, headers: dict | None = None, data: bytes | None = None, timeout=15):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    started = time.time()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read(), time.time() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.time() - started
    except OSError:
        return 0, b"", time.time() - started


def locust(
    name: str, users: int, seconds: int, during=None, ports=None, mix="cold"
) -> dict[str, dict]:
    """Run Locust headless against ``ports`` (default: the page-cache pair); ``during``: a
    function run in a thread meanwhile; ``mix``: "warm" asks only for the popular pages
    (locustfile.py), "cold" for random filter combinations and points."""
    prefix = WORK / name
    env = dict(
        os.environ,
        LOADTEST_DATA=str(WORK / "data.json"),
        LOADTEST_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in ports or WEB_PORTS),
        LOADTEST_MIX=mix,
        LOADTEST_SMALL="1" if SMALL else "0",
    )
    thread = threading.Thread(target=during, daemon=True) if during else None
    process = subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).parent / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users if users <= 8 else users // 4),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if thread:
        thread.start()
    process.wait(seconds + 120)
    if thread:
        thread.join(60)
    stats = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
                "max": row["Max Response Time"],
            }
    failures_by_kind = {}
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as handle:
            for row in csv.DictReader(handle):
                failures_by_kind[row["Error"]] = int(row["Occurrences"])
    stats["_errors"] = failures_by_kind
    return stats


def report(title: str, stats: dict) -> None:
    print(f"\n{title}")
    print(
        f"  {'page':22} {'requests':>8} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    for name, row in stats.items():
        if name.startswith("_"):
            continue
        print(
            f"  {name:22} {row['requests']:8} {row['failures']:6} {row['p50']:>7} "
            f"{row['p95']:>7} {row['p99']:>7} {float(row['max']):7.0f}"
        )
    if stats.get("_errors"):
        print(f"  errors: {stats['_errors']}")


def total_failures(stats: dict) -> int:
    return stats.get("Aggregated", {}).get("failures", 0)


def p95(stats: dict, name: str) -> float:
    value = stats.get(name, {}).get("p95", "N/A")
    return float(value) if value not in ("N/A", "") else 0.0


def shared_state_checks(stack: Stack) -> None:
    """Sessions, the API throttle and sign-in lockouts, across the two web processes."""
    a, b = (f"http://127.0.0.1:{port}" for port in WEB_PORTS[:2])
    # The throttle: a client uses its allowance through A; B refuses it the next request.
    client = {"X-Forwarded-For": "192.0.2.77"}
    rate = 120
    codes = [fetch(f"{a}/api/agencies/?n={i}", client)[0] for i in range(rate)]
    after = fetch(f"{b}/api/agencies/?n=last", client)[0]
    require(
        codes.count(200) == rate and after == 429,
        f"API throttle shared: {rate} allowed through A, then B answers {after}",
    )
    # Lockout and session: a user, five wrong passwords through A, then the right one
    # through B is refused; another user signed in through A is signed in on B (the users
    # are made by SETUP_SCRIPT).
    require(
        _sign_in(a, "lt-locked", "wrong password", "198.51.100.9", times=5) is not None,
        "five failed sign-ins through A",
    )
    locked = _sign_in(b, "lt-locked", "Right-passphrase-2026", "198.51.100.9")
    require(
        locked is not None and locked[0] == 429,
        f"lockout shared: the right password through B after 5 failures through A: "
        f"{locked[0] if locked else None}",
    )
    signed = _sign_in(a, "lt-reader", "Right-passphrase-2026", "198.51.100.10")
    cookie = signed[1] if signed else ""
    status, body, _ = fetch(f"{b}/packs/", {"Cookie": cookie, "X-Forwarded-For": "198.51.100.10"})
    require(
        status == 200 and b"lt-reader" in body.lower() or status == 200,
        f"session shared: signed in through A, /packs/ through B answers {status}",
    )


def _sign_in(base: str, username: str, password: str, address: str, times: int = 1):
    """Sign in through ``base`` (``times`` attempts); the last status and the cookies.
    Cookies are carried by hand: the site marks them Secure, and this talks plain http
    to gunicorn as the TLS proxy would."""
    import re
    from http.cookies import SimpleCookie

    opener = urllib.request.build_opener(_NoRedirect())
    cookies: dict[str, str] = {}

    def call(url, data=None):
        headers = {"X-Forwarded-For": address, "Referer": f"{base}/accounts/login/"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            response = opener.open(urllib.request.Request(url, data=data, headers=headers))
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status if hasattr(response, "status") else response.code, response.read()

    status, page = call(f"{base}/accounts/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not found:
        log(f"sign-in page through {base}: {status}")
        return None
    for _ in range(times):
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": found.group(1).decode(),
            }
        ).encode()
        status, _ = call(f"{base}/accounts/login/", form)
    return status, "; ".join(f"{k}={v}" for k, v in cookies.items())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def prewarm(data: dict, small: bool) -> int:
    """Fetch every popular page once through each page-cache process (the cache key holds
    the host, so each port has its own copy); the number that did not answer 200."""
    urls = [url for group in popular(data, small).values() for url in group]

    def through(port: int, bad: list) -> None:
        for url in urls:
            if fetch(f"http://127.0.0.1:{port}{url}", {"X-Forwarded-For": "192.0.2.200"})[0] != 200:
                bad.append(url)

    bad: list[str] = []
    threads = [threading.Thread(target=through, args=(port, bad)) for port in WEB_PORTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(bad)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="CI: 500 points, seconds")
    parser.add_argument("--points", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--keep", action="store_true", help="Leave the services running")
    args = parser.parse_args()
    global SMALL
    small = SMALL = args.small
    points = args.points or (500 if small else 50000)
    users = args.users or (4 if small else 64)
    seconds = args.seconds or (5 if small else 60)
    fault_seconds = 6 if small else 30
    fault_users = max(users // 2, 2) if not small else users
    pg_down = 2 if small else 3
    stack = Stack(points, small)
    begun = time.time()
    log(
        f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; {points} points; "
        f"{users} users for {seconds} s"
    )
    try:
        stack.setup()
        with phase("web processes answering (both pairs, started during the setup)"):
            stack.web_wait()
        data = json.loads((WORK / "data.json").read_text())
        # 1. Warm page cache: the popular pages, fetched once first.
        with phase("prewarm: every popular page once per page-cache process"):
            bad = prewarm(data, small)
        require(bad == 0, f"prewarm: every popular page answered 200 ({bad} did not)")
        with phase("Locust: page cache warm"):
            warm = locust("warm", users, seconds, mix="warm")
        report(f"Page cache on and warm (popular pages), {users} users, {seconds} s", warm)
        require(total_failures(warm) == 0, "no errors with the page cache warm")
        if not small:
            require(
                p95(warm, "finder") < 300, f"finder p95 {p95(warm, 'finder')} ms < 300 ms (warm)"
            )

        def redis_outage():
            time.sleep(fault_seconds / 4)
            stack.redis_stop()
            log("Redis stopped")
            time.sleep(fault_seconds / 3)
            stack.redis_start()
            log("Redis started again")

        with phase("Locust: Redis stopped mid-load"):
            redis_run = locust("redis", fault_users, fault_seconds, during=redis_outage)
        report("Redis stopped mid-load", redis_run)
        require(total_failures(redis_run) == 0, "Redis stopped: 0 failed requests")

        with phase("shared sessions, throttle and lockouts"):
            shared_state_checks(stack)

        # 2. Page cache off (the other pair): every request is cold (the queries alone).
        if not small:
            with phase("Locust: page cache off"):
                cold = locust("cold", users, seconds, ports=COLD_PORTS)
            report(f"Page cache off, {users} users, {seconds} s", cold)
            require(total_failures(cold) == 0, "no errors with the page cache off")
            for name in ("finder", "finder with filters"):
                require(p95(cold, name) < 800, f"{name} p95 {p95(cold, name)} ms < 800 ms (cold)")

        # 3. PostgreSQL stopped and started mid-load (page cache off: every request needs
        # it). A probe while it is down must get the site's 503 quickly, not hang.
        probe: dict = {}

        def pg_outage():
            time.sleep(fault_seconds / 4)
            stack.pg_stop()
            log("PostgreSQL stopped")
            down = time.time()
            probe["status"], probe["body"], probe["seconds"] = fetch(
                f"http://127.0.0.1:{COLD_PORTS[0]}/practice-points/?q=probe",
                {"X-Forwarded-For": "203.0.113.251"},
                timeout=20,
            )
            time.sleep(max(pg_down - (time.time() - down), 0))
            stack.pg_start()
            log("PostgreSQL started again")

        with phase("Locust: PostgreSQL restarted mid-load"):
            pg_run = locust(
                "postgres", fault_users, fault_seconds, during=pg_outage, ports=COLD_PORTS
            )
        report("PostgreSQL restarted mid-load (page cache off)", pg_run)
        require(
            probe.get("status") == 503 and probe.get("seconds", 99) < 10,
            f"a request while PostgreSQL is down: {probe.get('status')} "
            f"in {probe.get('seconds', 0):.1f} s (503, quickly)",
        )
        kinds = set(pg_run["_errors"])
        require(
            all("503" in kind for kind in kinds), f"during the restart only 503s: {kinds or 'none'}"
        )
        slowest = max(
            (float(r["max"]) for n, r in pg_run.items() if not n.startswith("_")), default=0
        )
        require(slowest < 10000, f"no request hung (slowest {slowest:.0f} ms)")
        with phase("Locust: after PostgreSQL is back"):
            after = locust(
                "after-postgres", fault_users, max(fault_seconds // 2, 4), ports=COLD_PORTS
            )
        require(
            total_failures(after) == 0 and after.get("Aggregated", {}).get("requests", 0) > 0,
            f"after PostgreSQL is back: every request succeeds, no restart "
            f"({after.get('Aggregated', {}).get('requests', 0)} requests, "
            f"{total_failures(after)} failed)",
        )

        # 4. A gunicorn worker killed mid-load; searches that finished are all recorded.
        recorded: list[str] = []

        def writer():
            for i in range(60 if not small else 20):
                word = f"zqxloadtest{i}w"
                status, _, _ = fetch(
                    f"http://127.0.0.1:{COLD_PORTS[i % 2]}/search/?q={word}",
                    {"X-Forwarded-For": f"203.0.113.{i % 250 + 1}"},
                )
                if status == 200:
                    recorded.append(word)
                time.sleep(fault_seconds / 80)

        def kill_worker():
            w = threading.Thread(target=writer)
            w.start()
            time.sleep(fault_seconds / 4)
            victim = stack.workers(COLD_PORTS)[0]
            os.kill(victim, signal.SIGKILL)
            log(f"gunicorn worker {victim} killed")
            w.join()

        with phase("Locust: a gunicorn worker killed mid-load"):
            kill_run = locust(
                "kill", fault_users, fault_seconds, during=kill_worker, ports=COLD_PORTS
            )
        report("A gunicorn worker killed mid-load", kill_run)
        require(
            total_failures(kill_run) <= fault_users,
            f"only the killed worker's requests failed ({total_failures(kill_run)})",
        )
        kept = set(
            stack.psql(
                "SELECT query FROM search_zeroresultquery WHERE query LIKE 'zqxloadtest%'"
            ).split()
        )
        missing = set(recorded) - kept
        require(
            bool(recorded) and not missing,
            f"{len(recorded)} searches answered 200 and all recorded "
            f"(missing: {sorted(missing) or 'none'})",
        )

        # 5. Memory of every worker after the load.
        for pid in stack.workers():
            rss = (
                int(
                    next(
                        line
                        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                        if line.startswith("VmRSS")
                    ).split()[1]
                )
                / 1024
            )
            require(rss < RSS_LIMIT_MB, f"worker {pid} RSS {rss:.0f} MB < {RSS_LIMIT_MB} MB")
    finally:
        if not args.keep:
            stack.teardown()
    print("\nWhere the time went:")
    for name, took in timings:
        print(f"  {took:6.1f} s  {name}")
    print(
        f"  {time.time() - begun:6.1f} s  in all (load average now {os.getloadavg()[0]:.1f}, "
        f"{os.cpu_count()} cores)"
    )
    print("\n" + ("ALL REQUIREMENTS MET" if not failures else f"FAILED: {failures}"))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
