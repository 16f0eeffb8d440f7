"""The load and fault tests' small form (``benchmarks/loadtest/run.py --small``): its own
PostgreSQL cluster, Redis and two pairs of gunicorn processes (page cache on / off), 500
points, 4 users for 5-6 s a phase, Redis and PostgreSQL stopped mid-load, a worker killed,
sessions, throttle and lockouts shared, workers' RSS. About 90 s on 2 busy cores (the
database setup is a third of it; run.py prints every phase's time), so it runs in CI
(CI=true, where a missing PostgreSQL server binary, redis-server or Locust fails it) and
locally with LOADTEST_SMALL=1; ``make loadtest`` is the full form."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.loadtest


def test_small_load_and_fault_run_meets_every_requirement():
    # Selected by tests/conftest.py only in the SQLite run, under CI or with LOADTEST_SMALL=1.
    missing = [
        name
        for name in ("redis-server", "locust")
        if not shutil.which(name) and not (Path(sys.executable).parent / name).exists()
    ]
    if not shutil.which("initdb") and not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("initdb")
    if missing:
        pytest.fail(f"the load test needs {missing}")
    result = subprocess.run(
        [sys.executable, "benchmarks/loadtest/run.py", "--small"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "LOADTEST_DIR": "/tmp/rt-loadtest-ci"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "ALL REQUIREMENTS MET" in result.stdout
