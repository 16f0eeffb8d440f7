"""``make loadtest``: load and fault tests against gunicorn + PostgreSQL + Redis started here.

Starts its own PostgreSQL cluster (initdb in LOADTEST_DIR, port LOADTEST_PG_PORT=5544),
its own Redis (LOADTEST_REDIS_PORT=6390) and two gunicorn web processes (ports 8122 and
8123, DEBUG off, sharing the database and Redis as two machines behind a proxy would),
fills the database with generated points (50,000; ``--small``: 2,000), then runs Locust
headless and reports p50 / p95 / p99 per page, with the page cache warm and off, and
through four faults:

1. PostgreSQL stopped and started again mid-load: requests fail with 503 meanwhile (never
   hang); after it is back, every request succeeds without restarting anything.
2. Redis stopped mid-load: no request fails.
3. A gunicorn worker killed mid-load: only its requests fail; every search recorded by a
   request that finished (a content gap row) is in the database.
4. Two web processes share sessions, the API throttle and sign-in lockouts.

Then the RSS of every gunicorn worker (must stay under 250 MB). Exits non-zero if a
requirement is not met. ``--small`` (CI): 2,000 points, a few users, a few seconds each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("LOADTEST_DIR", "/tmp/rt-loadtest"))
PG_PORT = int(os.environ.get("LOADTEST_PG_PORT", "5544"))
REDIS_PORT = int(os.environ.get("LOADTEST_REDIS_PORT", "6390"))
WEB_PORTS = [int(p) for p in os.environ.get("LOADTEST_WEB_PORTS", "8122,8123").split(",")]
WORKERS = int(os.environ.get("LOADTEST_WORKERS", "2"))
RSS_LIMIT_MB = 250
PG_BIN = Path(os.environ.get("LOADTEST_PG_BIN", "")) if os.environ.get("LOADTEST_PG_BIN") else None
SECRET = "loadtest-secret-key-" + "x9Kq2" * 10

failures: list[str] = []


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


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
            DJANGO_DEBUG="false",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_TRUSTED_PROXIES="127.0.0.1",
            TOOLKIT_PAGE_CACHE="on" if page_cache else "off",
            DJANGO_LOG_LEVEL="WARNING",
            REDIS_CONNECT_TIMEOUT="0.3",
            REDIS_TIMEOUT="0.3",
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
                    "-c fsync=off -c synchronous_commit=off -c max_connections=200",
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
        time.sleep(0.5)

    def redis_stop(self) -> None:
        if self.redis:
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
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
        subprocess.run(
            as_postgres(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_start()
        subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE loadtest",
            ],
            check=True,
        )
        self.redis_start()
        log(f"PostgreSQL on {PG_PORT} and Redis on {REDIS_PORT} started")
        self.manage("migrate", "--noinput")
        self.manage("load_seed_content")
        self.manage(
            "generate_demo_data", "--practice-points", str(self.points), "--yes", "--seed", "17"
        )
        subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "-q",
                "-d",
                "loadtest",
                "-c",
                "VACUUM ANALYZE",
            ],
            check=True,
        )
        self.manage("collectstatic", "--noinput", "-v0")
        data = json.loads(self.manage("shell", "-c", DATA_SCRIPT).strip().splitlines()[-1])
        (WORK / "data.json").write_text(json.dumps(data))
        log(f"{self.points} points generated and indexed in {time.time() - started:.0f} s")

    def web_start(self, page_cache: bool) -> None:
        for port in WEB_PORTS:
            self.web[port] = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "reviews_toolkit.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    str(WORKERS),
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "5",
                    "--max-requests",
                    "0",
                ],
                cwd=ROOT,
                env=self.env(page_cache),
                stdout=open(WORK / f"web-{port}.log", "a"),
                stderr=subprocess.STDOUT,  # noqa: SIM115
            )
        for port in WEB_PORTS:
            for _ in range(100):
                if fetch(f"http://127.0.0.1:{port}/healthz/")[0] == 200:
                    break
                time.sleep(0.2)
        log(
            f"web processes on {WEB_PORTS} ({WORKERS} workers each), page cache "
            + ("on" if page_cache else "off")
        )

    def web_stop(self) -> None:
        for process in self.web.values():
            process.terminate()
        for process in self.web.values():
            process.wait(20)
        self.web = {}

    def workers(self) -> list[int]:
        masters = {p.pid for p in self.web.values()}
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


DATA_SCRIPT = """
import json
from practice_points.models import PracticePoint
from themes.models import Agency, Theme
print(json.dumps({
    "themes": list(Theme.objects.public().values_list("slug", flat=True)),
    "agencies": list(Agency.objects.values_list("slug", flat=True)),
    "points": list(PracticePoint.objects.public().order_by("?").values_list("pk", flat=True)[:500]),
}))
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


def locust(name: str, users: int, seconds: int, during=None) -> dict[str, dict]:
    """Run Locust headless; ``during``: a function run in a thread meanwhile."""
    prefix = WORK / name
    env = dict(
        os.environ,
        LOADTEST_DATA=str(WORK / "data.json"),
        LOADTEST_HOSTS=",".join(f"http://127.0.0.1:{p}" for p in WEB_PORTS),
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
            str(max(users // 4, 1)),
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
    # through B is refused; another user signed in through A is signed in on B.
    stack.manage("shell", "-c", USERS_SCRIPT)
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


USERS_SCRIPT = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from session_packs.models import TRAINER_GROUP
User = get_user_model()
for name in ("lt-locked", "lt-reader"):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("Right-passphrase-2026")
    user.save()
    user.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])
"""


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="CI: 2,000 points, seconds")
    parser.add_argument("--points", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--keep", action="store_true", help="Leave the services running")
    args = parser.parse_args()
    small = args.small
    points = args.points or (2000 if small else 50000)
    users = args.users or (8 if small else 64)
    seconds = args.seconds or (8 if small else 60)
    fault_seconds = 8 if small else 30
    stack = Stack(points, small)
    log(f"cores: {os.cpu_count()}; {points} points; {users} users for {seconds} s")
    try:
        stack.setup()
        # 1. Warm page cache (the realistic mix), with Redis stopped for a while.
        stack.web_start(page_cache=True)
        warm = locust("warm", users, seconds)
        report(f"Page cache on, {users} users, {seconds} s", warm)
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

        redis_run = locust("redis", max(users // 2, 2), fault_seconds, during=redis_outage)
        report("Redis stopped mid-load", redis_run)
        require(total_failures(redis_run) == 0, "Redis stopped: 0 failed requests")

        shared_state_checks(stack)

        # 2. Page cache off: every request is cold (the queries alone).
        stack.web_stop()
        stack.web_start(page_cache=False)
        if not small:
            cold = locust("cold", users, seconds)
            report(f"Page cache off, {users} users, {seconds} s", cold)
            require(total_failures(cold) == 0, "no errors with the page cache off")
            for name in ("finder", "finder with filters"):
                require(p95(cold, name) < 800, f"{name} p95 {p95(cold, name)} ms < 800 ms (cold)")

        # 3. PostgreSQL stopped and started mid-load.
        def pg_outage():
            time.sleep(fault_seconds / 4)
            stack.pg_stop()
            log("PostgreSQL stopped")
            time.sleep(3)
            stack.pg_start()
            log("PostgreSQL started again")

        pg_run = locust("postgres", max(users // 2, 2), fault_seconds, during=pg_outage)
        report("PostgreSQL restarted mid-load (page cache off)", pg_run)
        kinds = set(pg_run["_errors"])
        require(
            all("503" in kind for kind in kinds), f"during the restart only 503s: {kinds or 'none'}"
        )
        slowest = max(
            (float(r["max"]) for n, r in pg_run.items() if not n.startswith("_")), default=0
        )
        require(slowest < 10000, f"no request hung (slowest {slowest:.0f} ms)")
        after = locust("after-postgres", max(users // 2, 2), max(fault_seconds // 2, 5))
        require(
            total_failures(after) == 0,
            "after PostgreSQL is back: every request succeeds (no restart)",
        )

        # 4. A gunicorn worker killed mid-load; searches that finished are all recorded.
        recorded: list[str] = []

        def writer():
            for i in range(60 if not small else 20):
                word = f"zqxloadtest{i}w"
                status, _, _ = fetch(
                    f"http://127.0.0.1:{WEB_PORTS[i % 2]}/search/?q={word}",
                    {"X-Forwarded-For": f"203.0.113.{i % 250 + 1}"},
                )
                if status == 200:
                    recorded.append(word)
                time.sleep(fault_seconds / 80)

        def kill_worker():
            w = threading.Thread(target=writer)
            w.start()
            time.sleep(fault_seconds / 4)
            victim = stack.workers()[0]
            os.kill(victim, signal.SIGKILL)
            log(f"gunicorn worker {victim} killed")
            w.join()

        kill_run = locust("kill", max(users // 2, 2), fault_seconds, during=kill_worker)
        report("A gunicorn worker killed mid-load", kill_run)
        require(
            total_failures(kill_run) <= max(users // 2, 2),
            f"only the killed worker's requests failed ({total_failures(kill_run)})",
        )
        output = stack.manage(
            "shell",
            "-c",
            "from search.models import ZeroResultQuery as Z; "
            "print(' '.join(Z.objects.filter(query__startswith='zqxloadtest')"
            ".values_list('query', flat=True)))",
        )
        kept = {token for token in output.split() if token.startswith("zqxloadtest")}
        missing = set(recorded) - set(kept)
        require(
            not missing,
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
    print("\n" + ("ALL REQUIREMENTS MET" if not failures else f"FAILED: {failures}"))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
