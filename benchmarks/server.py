"""The HTTP service under a bounded load, beside the in-process bulk API in the same run.

Run::

    .venv/bin/python benchmarks/server.py
    .venv/bin/python benchmarks/server.py --requests 1000 --big 5 --json

It starts ``mentorcore serve`` (a separate process, as a deployment runs
it) on a free loopback port and sends, from this process:

* ``--requests`` single-person eligibility requests (default 5,000) over
  ``--connections`` kept-alive connections (default 20), as fast as the
  service answers; it prints requests per second and the p50 and p99
  latency (targets: at least 1,000 requests/s, p99 under 50 ms);
* ``--big`` requests (default 20) of ``--people`` people each (default
  10,000), one at a time; it prints decisions per second beside
  :func:`mentorcore.bulk.decide_many` in this process over the same people,
  already structured (target: the service within 2× of the in-process
  time), and beside the same work done in this process without HTTP
  (structuring the people from the same JSON data, deciding, ``to_data``).

Every request goes to 127.0.0.1 only, and the load is bounded in count. The
client shares the machine's cores with the server, so the figures are a
floor of what the service does on its own machine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx

ON = "2023-09-15"


def _person(index: int, rng: random.Random) -> dict[str, Any]:
    first = rng.random() < 0.5
    return {
        "id": f"p{index}",
        "name": f"Person {index}",
        "role": rng.choice(["principal", "principal", "assistant_principal", "teacher_leader"]),
        "role_started": rng.choice(["2023-07-01", "2022-08-15", "2019-07-01"]),
        "first_time_in_role": first,
        "memberships": ["ipa"] if rng.random() < 0.5 else [],
        "school": {
            "name": f"School {index % 500}",
            "state": "IL" if rng.random() < 0.9 else "IN",
            "sector": rng.choice(["public", "charter", "private"]),
        },
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    process = subprocess.Popen(
        [sys.executable, "-m", "mentorcore", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


async def _single_load(url: str, people: list[dict[str, Any]], connections: int) -> list[float]:
    # aiohttp, not httpx: its C parser keeps the client's own cost per request
    # well below the service's, on a machine whose cores the two share.
    import aiohttp

    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for person in people:
        queue.put_nowait(json.dumps({"on": ON, "people": [person]}).encode())
    connector = aiohttp.TCPConnector(limit=connections)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                async with session.post(
                    f"{url}/programs/ipa/eligibility", data=body, headers=headers
                ) as response:
                    await response.read()
                    latencies.append(time.perf_counter() - started)
                    if response.status != 200:
                        raise SystemExit(f"unexpected answer {response.status}")

        await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the load and print the figures (and return them)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--big", type=int, default=20)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    rng = random.Random(20261201)
    singles = [_person(i, rng) for i in range(args.requests)]
    cohort = [_person(i, rng) for i in range(args.people)]

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = _start(port)
    try:
        for person in singles[:200]:  # warm-up
            httpx.post(f"{url}/programs/ipa/eligibility", json={"on": ON, "people": [person]})
        started = time.perf_counter()
        latencies = asyncio.run(_single_load(url, singles, args.connections))
        elapsed = time.perf_counter() - started
        cuts = statistics.quantiles(latencies, n=100)
        body = json.dumps({"on": ON, "people": cohort}).encode()
        with httpx.Client(timeout=300) as client:
            big_times = []
            for _ in range(args.big):
                started_big = time.perf_counter()
                response = client.post(
                    f"{url}/programs/ipa/eligibility",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                big_times.append(time.perf_counter() - started_big)  # answer read, not parsed
                assert response.status_code == 200, response.text
            assert len(response.json()) == args.people
    finally:
        process.terminate()
        process.wait(timeout=30)

    from mentorcore.bulk import decide_many
    from mentorcore.output import to_data
    from mentorcore.registry import load_registry
    from mentorcore.server.requests import people_of

    registry = load_registry()
    program = registry.program("ipa")
    day = dt.date.fromisoformat(ON)
    decide_only = []
    whole = []
    for _ in range(min(args.big, 5)):
        leaders = list(people_of(cohort, "people"))
        started_local = time.perf_counter()
        decided = list(decide_many(registry, program, leaders, day))
        decide_only.append(time.perf_counter() - started_local)
        assert len(decided) == args.people
        started_local = time.perf_counter()  # the request's own work, without HTTP
        data = to_data(list(decide_many(registry, program, people_of(cohort, "people"), day)))
        whole.append(time.perf_counter() - started_local)
        assert len(data) == args.people
    figures = {
        "single_requests": args.requests,
        "connections": args.connections,
        "requests_per_s": round(args.requests / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "big_people": args.people,
        "big_median_s": round(statistics.median(big_times), 3),
        "in_process_median_s": round(statistics.median(decide_only), 3),
        "in_process_request_median_s": round(statistics.median(whole), 3),
        "big_decisions_per_s": round(args.people / statistics.median(big_times)),
        "in_process_decisions_per_s": round(args.people / statistics.median(decide_only)),
    }
    figures["big_ratio"] = round(figures["big_median_s"] / figures["in_process_median_s"], 2)
    figures["big_ratio_same_work"] = round(
        figures["big_median_s"] / figures["in_process_request_median_s"], 2
    )
    if args.json:
        print(json.dumps(figures, indent=2))
        return figures
    print(
        f"single-person eligibility: {args.requests} requests over {args.connections} connections"
    )
    print(
        f"  {figures['requests_per_s']:.0f} requests/s (target >= 1000)   "
        f"p50 {figures['p50_ms']:.1f} ms   p99 {figures['p99_ms']:.1f} ms (target < 50)"
    )
    print(f"{args.people:,}-person requests, {args.big} of them, one at a time")
    print(
        f"  service {figures['big_median_s']:.3f} s "
        f"({figures['big_decisions_per_s']:,} decisions/s)"
        f"   in-process bulk {figures['in_process_median_s']:.3f} s "
        f"({figures['in_process_decisions_per_s']:,} decisions/s)   "
        f"ratio {figures['big_ratio']:.2f} (target <= 2)"
    )
    print(
        f"  in-process, the request's own work (people from the same JSON data, decisions, "
        f"to_data) {figures['in_process_request_median_s']:.3f} s: "
        f"ratio {figures['big_ratio_same_work']:.2f}"
    )
    return figures


if __name__ == "__main__":
    main()
