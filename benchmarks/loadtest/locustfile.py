"""The realistic mix for ``make loadtest`` (benchmarks/loadtest/run.py starts the servers).

Each simulated practitioner has an address of their own (X-Forwarded-For, read because
the servers trust 127.0.0.1 as their proxy) and goes to one of the web processes
(``LOADTEST_HOSTS``); every distinct filter combination of the finder is a request the
page cache has not seen unless someone asked for it before.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())  # noqa: SIM115
HOSTS = os.environ["LOADTEST_HOSTS"].split(",")
WORDS = [
    "neglect",
    "supervision",
    "fathers",
    "was not brought",
    "curiosity",
    "housing",
    "mental health",
    "exploitation",
    "bruising",
    "information sharing",
    "nelgect",
]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
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

    @task(3)
    def finder(self):
        self._get("/practice-points/", "finder")

    @task(6)
    def finder_filtered(self):
        params = []
        if random.random() < 0.5:
            params.append(("q", random.choice(WORDS)))
        if random.random() < 0.5:
            params.append(("theme", random.choice(DATA["themes"])))
        if random.random() < 0.3:
            params.append(("agency", random.choice(DATA["agencies"])))
        if random.random() < 0.3:
            params.append(("day", random.choice(DAYS)))
        if random.random() < 0.2:
            params.append(("page", str(random.randint(2, 5))))
        query = "&".join(f"{k}={v.replace(' ', '+')}" for k, v in params)
        self._get(f"/practice-points/?{query}", "finder with filters")

    @task(2)
    def search(self):
        self._get(f"/search/?q={random.choice(WORDS).replace(' ', '+')}", "search")

    @task(2)
    def theme(self):
        self._get(f"/themes/{random.choice(DATA['themes'])}/", "theme page")

    @task(2)
    def point(self):
        self._get(f"/practice-points/{random.choice(DATA['points'])}/", "point page")

    @task(2)
    def api(self):
        self._get(f"/api/practice-points/?theme={random.choice(DATA['themes'])}", "API")
