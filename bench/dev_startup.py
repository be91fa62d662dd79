#!/usr/bin/env python3
"""Start-up time of `strongroom server -dev` against OpenBao's `bao server -dev`, same run.

Measures wall time from process spawn until `GET /v1/sys/health` answers 200 (initialized,
unsealed, serving). Prints a table and writes bench/results/dev_startup.json.

    .venv/bin/python bench/dev_startup.py [runs]
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STRONGROOM = Path(os.environ.get("STRONGROOM_BIN", REPO / "target" / "debug" / "strongroom"))
BAO = Path(os.environ.get("STRONGROOM_BAO", REPO / ".venv" / "bin" / "bao"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/sys/health", timeout=1) as r:
            return r.status == 200
    except Exception:
        return False


def measure(argv_for_port, timeout=30):
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(argv_for_port(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "HOME": "/tmp"})
    try:
        while time.perf_counter() - started < timeout:  # bounded wait
            if ready(port):
                return time.perf_counter() - started
            if proc.poll() is not None:
                raise RuntimeError(f"{argv_for_port(port)[0]} exited with {proc.returncode}")
            time.sleep(0.002)
        raise RuntimeError("not ready in time")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    subjects = {
        "strongroom": lambda p: [str(STRONGROOM), "server", "-dev", f"-dev-listen-address=127.0.0.1:{p}"],
        "openbao": lambda p: [str(BAO), "server", "-dev", f"-dev-listen-address=127.0.0.1:{p}",
                              "-dev-root-token-id=root"],
    }
    results = {}
    for name, argv in subjects.items():
        times = [measure(argv) * 1000 for _ in range(runs)]
        results[name] = {
            "runs": runs,
            "min_ms": round(min(times), 1),
            "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(sorted(times)[int(0.9 * (runs - 1))], 1),
        }
    ratio = results["strongroom"]["median_ms"] / results["openbao"]["median_ms"]
    print(f"{'server -dev start-up':<22}{'min ms':>10}{'median ms':>12}{'p90 ms':>10}")
    for name, r in results.items():
        print(f"{name:<22}{r['min_ms']:>10}{r['median_ms']:>12}{r['p90_ms']:>10}")
    print(f"strongroom / openbao median ratio: {ratio:.2f}")
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dev_startup.json").write_text(json.dumps(
        {"results": results, "ratio_median": round(ratio, 3),
         "binary": str(STRONGROOM), "note": "spawn until GET /v1/sys/health returns 200"}, indent=2))


if __name__ == "__main__":
    main()
