"""Files per second of a full `lambdalint check` on a tree (a script, never a timed test).

python scripts/benchmark.py PATH [--repeat N] [--select LL1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.engine.discover import discover
from lambdalint.engine.run import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--select", action="append", help="rules (default: the default set)")
    args = parser.parse_args()

    # Cold runs: no cache, every file parsed. The cache's effect is measured once at the end.
    settings = Settings(root=args.path.resolve(), select=args.select, cache=False)
    sources, skipped = discover([args.path], settings)
    kinds: dict[str, int] = {}
    lines = 0
    for source in sources:
        kinds[source.kind] = kinds.get(source.kind, 0) + 1
        if source.kind == "python":
            lines += source.path.read_bytes().count(b"\n")
    print(f"{len(sources)} files {kinds}, {lines} Python lines; {len(skipped)} trees skipped")

    durations = []
    findings = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = run([args.path], settings)
        durations.append(time.perf_counter() - started)
        findings = len(result.findings)
    best, median = min(durations), statistics.median(durations)
    print(f"best {best:.2f} s, median {median:.2f} s over {args.repeat} runs; {findings} findings")
    print(f"{len(sources) / best:.0f} files/s, {lines / best:.0f} Python lines/s (best run)")
    print(
        "phases of the last run: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
    )

    settings.cache = True
    run([args.path], settings)  # fill the cache
    started = time.perf_counter()
    run([args.path], settings)
    print(f"with a warm cache: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
