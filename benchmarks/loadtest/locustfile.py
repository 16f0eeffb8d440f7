"""The realistic mix for ``make loadtest`` (benchmarks/loadtest/run.py starts the servers).

Each simulated practitioner has an address of their own (X-Forwarded-For, read because
the servers trust 127.0.0.1 as their proxy) and goes to one of the web processes
(``LOADTEST_HOSTS``). ``LOADTEST_MIX=warm``: only the popular pages (pages.py; run.py has
put them in the page cache first); otherwise random filter combinations and points, each
a request nobody asked for before (the page cache off run measures the queries).
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task
from pages import popular, random_finder

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())  # noqa: SIM115
HOSTS = os.environ["LOADTEST_HOSTS"].split(",")
# "warm": only the popular pages (all in the page cache already); "cold": random ones.
WARM = os.environ.get("LOADTEST_MIX", "cold") == "warm"
POPULAR = popular(DATA, small=os.environ.get("LOADTEST_SMALL") == "1")
_numbers = itertools.count(1)


class Practitioner(FastHttpUser):
    wait_time = between(0.5, 1.5)
    host = HOSTS[0]

    def on_start(self):
        n = next(_numbers)
        self.base = HOSTS[n % len(HOSTS)]
        self.headers = {"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"}

    def _get(self, path: str, name: str):
        with self.client.get(
            self.base + path, name=name, headers=self.headers, catch_response=True
        ) as response:
            # A page number beyond the results is a 404 by design.
            beyond = response.status_code == 404 and "page=" in path
            if response.status_code != 200 and not beyond:
                response.failure(f"{response.status_code}")
            else:
                response.success()

    def _pick(self, name: str, cold: str) -> str:
        return random.choice(POPULAR[name]) if WARM else cold

    @task(3)
    def finder(self):
        self._get("/practice-points/", "finder")

    @task(6)
    def finder_filtered(self):
        self._get(self._pick("finder with filters", random_finder(DATA)), "finder with filters")

    @task(2)
    def search(self):
        self._get(random.choice(POPULAR["search"]), "search")

    @task(2)
    def theme(self):
        self._get(random.choice(POPULAR["theme page"]), "theme page")

    @task(2)
    def point(self):
        pk = random.choice(DATA["points"])
        self._get(self._pick("point page", f"/practice-points/{pk}/"), "point page")

    @task(2)
    def api(self):
        self._get(random.choice(POPULAR["API"]), "API")
