"""Server time of the foundation's public pages, on the demo data.

Run: DEBUG=1 .venv/bin/python benchmarks/pages.py [--repeat 30]
Prints one JSON line: per page the median and p95 in milliseconds (Django test client,
in-process, so network and TLS are left out) and the number of SQL queries.
Uses the database in DATABASE_URL; loads the demo data first (idempotent).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {
    "home_ar": "/ar/",
    "home_en": "/en/",
    "organizations_ar": "/ar/organizations/",
    "organizations_search_ar": "/ar/organizations/?q=%D8%A7%D9%84%D8%A8%D8%B5%D8%B1%D9%87",
    "healthz": "/healthz",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    client = Client(headers={"host": "127.0.0.1"})
    figures: dict[str, dict] = {}
    for name, path in PAGES.items():
        client.get(path)  # warm caches (templates, translations)
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings.sort()
        figures[name] = {
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "queries": len(queries),
        }
    print(json.dumps({"benchmark": "pages", "repeat": args.repeat,
                      "database": connection.vendor, "pages": figures}))


if __name__ == "__main__":
    main()
