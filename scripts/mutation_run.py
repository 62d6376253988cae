"""The acceptance run of issue 8: mutate real handlers and templates, lint them, count failures.

    python scripts/mutation_run.py PATH [--count 10000] [--batch 200] [--seed 1] [--timeout 600]

PATH is any collection of Lambda projects (a checkout of a public samples repository; never
commit one). Each input is one real `.py`, `.yaml`/`.yml` or `.json` file from PATH with one to
three mutations (bytes flipped, lines dropped or repeated, truncation, YAML tags scrambled,
values of every YAML type, deep nesting, long chains). Inputs are linted in batches, each batch
one `lambdalint check` process; a batch that aborts, prints a traceback or runs past the timeout
is counted. Prints one line per batch and a summary; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = (".py", ".yaml", ".yml", ".json")
SKIP_DIRS = {".git", "node_modules", ".aws-sam", "cdk.out", "site-packages", ".venv"}
TAGS = [
    "!Ref",
    "!GetAtt",
    "!Sub",
    "!If",
    "!!bool",
    "!!int",
    "!!float",
    "!!str",
    "!!null",
    "!!binary",
    "!!timestamp",
    "!!python/object/apply:os.system",
    "!Join",
    "!Unknown",
    "&a",
    "*a",
]
VALUES = [
    "1e309",
    "1.0e+309",
    "9" * 4400,
    "-0",
    ".inf",
    ".nan",
    "~",
    "null",
    "yes",
    "maybe",
    "'\\ud800'",
    '"\\ud800"',
    "[",
    "{",
    "]",
    "}",
    "!!bool maybe",
    "2001-12-14t21:59:43.10-05:00",
    "0x1F",
    "0o17",
    "1_000",
    "''",
    "*undefined",
    "<<: *a",
    "|-",
    ">",
]


def collect(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        wanted = path.suffix in SUFFIXES and not SKIP_DIRS.intersection(path.parts)
        if wanted and path.is_file() and path.stat().st_size < 200_000:
            found.append(path)
    return sorted(found)


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if buffer:
            buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer)


def drop_or_repeat_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    index = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[index]
    else:
        lines[index:index] = [lines[index]] * rng.randint(1, 50)
    return b"".join(lines)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def scramble_tags(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    for tag in ("!Ref", "!GetAtt", "!Sub", "!If", "!Join"):
        if tag in text and rng.random() < 0.7:
            text = text.replace(tag, rng.choice(TAGS), rng.randint(1, 3))
    return text.encode("utf-8", "surrogatepass")


def odd_value(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if b":" in line]
    if not candidates:
        return data
    index = rng.choice(candidates)
    head = lines[index].split(b":", 1)[0]
    lines[index] = head + b": " + rng.choice(VALUES).encode("utf-8", "surrogatepass") + b"\n"
    return b"".join(lines)


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 150, 300, 1000, 3000])
    shape = rng.choice(["list", "call", "elif", "plus", "yaml", "json"])
    extra = {
        "list": "x = " + "[" * depth + "]" * depth + "\n",
        "call": "x = a" + ".b()" * depth + "\n",
        "elif": "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(depth)),
        "plus": "x = " + " + ".join(["a"] * depth) + "\n",
        "yaml": "Deep: " + "[" * depth + "]" * depth + "\n",
        "json": '{"a": ' * depth + "1" + "}" * depth,
    }[shape]
    return data + b"\n" + extra.encode()


MUTATIONS = [flip_bytes, drop_or_repeat_lines, truncate, scramble_tags, odd_value, deep_nesting]


def run_batch(directory: Path, timeout: float) -> dict:
    command = [sys.executable, "-m", "lambdalint", "check", "--no-cache", "--format", "json", "."]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=timeout,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        return {"hang": 1, "seconds": timeout}
    outcome = {"seconds": time.perf_counter() - started, "exit": done.returncode}
    outcome["traceback"] = int("Traceback" in done.stderr or "Traceback" in done.stdout)
    try:
        report = json.loads(done.stdout)
        findings = report["findings"] if isinstance(report, dict) else report
        outcome["ll000"] = sum(1 for f in findings if f.get("rule") == "LL000")
        outcome["ll001"] = sum(1 for f in findings if f.get("rule") == "LL001")
    except (ValueError, KeyError, TypeError, AttributeError):
        outcome["abort"] = 1  # no report at all: the whole run was lost
        outcome["stderr"] = done.stderr[-2000:]
    if done.returncode not in (0, 1, 2) or (done.returncode == 2 and not outcome.get("ll000")):
        outcome["abort"] = 1
        outcome["stderr"] = done.stderr[-2000:]
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep", type=Path, help="copy failing batches here")
    options = parser.parse_args()
    sources = collect(options.path)
    if not sources:
        print(f"no .py/.yaml/.yml/.json files under {options.path}", file=sys.stderr)
        return 2
    rng = random.Random(options.seed)
    totals = {"inputs": 0, "abort": 0, "traceback": 0, "hang": 0, "ll000": 0, "ll001": 0}
    for start in range(0, options.count, options.batch):
        size = min(options.batch, options.count - start)
        with tempfile.TemporaryDirectory(prefix="lambdalint-mutants-") as temporary:
            directory = Path(temporary)
            for number in range(size):
                source = rng.choice(sources)
                target = directory / f"m{start + number:05d}" / source.name
                target.parent.mkdir()
                target.write_bytes(mutate(source.read_bytes(), rng))
            outcome = run_batch(directory, options.timeout)
            totals["inputs"] += size
            for key in ("abort", "traceback", "hang", "ll000", "ll001"):
                totals[key] += outcome.get(key, 0)
            print(f"batch {start // options.batch}: {size} inputs, {outcome}", flush=True)
            if options.keep and any(outcome.get(k) for k in ("abort", "traceback", "hang")):
                import shutil

                shutil.copytree(directory, options.keep / f"batch{start // options.batch}")
    print("summary: " + ", ".join(f"{k} {v}" for k, v in totals.items()), flush=True)
    return 1 if totals["abort"] or totals["traceback"] or totals["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
