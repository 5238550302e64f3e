"""How long `mitra demo` takes: the small and medium worlds on SQLite, each in a fresh temporary folder.

Run: .venv/bin/python benchmarks/demo_seed.py [--large]
Prints one line per run and, last, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Not passed on to the processes started here: the caller's settings, and DJANGO_ALLOW_ASYNC_UNSAFE, which
# the browser tests' conftest sets for the whole session and which `check --deploy` rightly refuses.
LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}


def clean_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_") and k not in LEAKY}
    env.update({"MITRA_VAR_DIR": str(var_dir), "MITRA_DEBUG": "1"})
    return env


def mitra(var_dir: Path, *args: str) -> float:
    """Run one mitra command; return its wall time in seconds."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "mitra", *args]
    subprocess.run(command, env=clean_env(var_dir), check=True, capture_output=True)  # noqa: S603
    return time.perf_counter() - started


def seed_time(size: str) -> tuple[float, float]:
    """(seconds for `demo --size SIZE`, seconds for the same command doing nothing: interpreter + Django start)."""
    with tempfile.TemporaryDirectory(prefix=f"mitra-bench-{size}-") as tmp:
        var = Path(tmp)
        mitra(var, "migrate", "-v0")
        baseline = mitra(var, "check")
        return mitra(var, "demo", "--size", size), baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also time the large world (200 organisations)")
    args = parser.parse_args()
    from mitra.demo.generator import SIZES

    sizes = ["small", "medium", *(["large"] if args.large else [])]
    results: dict[str, float] = {}
    startups: dict[str, float] = {}
    for size in sizes:
        seconds, startup = seed_time(size)
        startups[size] = startup
        orgs, partnerships = SIZES[size]
        results[f"{size}_s"] = round(seconds, 3)
        print(
            f"demo --size {size:<6}  {seconds:6.2f} s  ({orgs} organisations, {partnerships} partnerships; "
            f"process start alone {startup:.2f} s)"
        )
    medium_orgs = SIZES["medium"][0]
    # The rate is of the writing alone: the medium run less the same process doing nothing.
    seeding = max(results["medium_s"] - startups["medium"], 1e-6)
    results["startup_s"] = round(startups["medium"], 3)
    results["orgs_per_s"] = round(medium_orgs / seeding, 1)
    results["partnerships_per_s"] = round(SIZES["medium"][1] / seeding, 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
