"""Templates per second: the CloudFormation/SAM frontend alone, then a full `lambdalint check`
restricted to the template files (a script, never a timed test).

python scripts/benchmark_templates.py PATH [--select LL2 --select LL4]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.engine.discover import discover
from lambdalint.engine.run import run
from lambdalint.engine.work import FileResult, analyse_template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--select", action="append", help="rules (default: the default set)")
    args = parser.parse_args()

    settings = Settings(root=args.path.resolve(), select=args.select)
    sources, _ = discover([args.path], settings)
    candidates = [source for source in sources if source.kind == "template"]

    started = time.perf_counter()
    templates = parse_errors = 0
    for source in candidates:
        result = analyse_template(source, settings.max_file_size, FileResult(source))
        templates += result.template is not None
        parse_errors += sum(f.rule == "LL001" for f in result.findings)
    frontend = time.perf_counter() - started
    print(
        f"frontend: {len(candidates)} YAML/JSON files, {templates} templates, "
        f"{parse_errors} LL001, {frontend:.2f} s, {templates / frontend:.0f} templates/s"
    )

    started = time.perf_counter()
    result = run([source.path for source in candidates], settings)
    full = time.perf_counter() - started
    print(
        f"full check of those files: {len(result.findings)} findings, {full:.2f} s, "
        f"{templates / full:.0f} templates/s"
    )


if __name__ == "__main__":
    main()
