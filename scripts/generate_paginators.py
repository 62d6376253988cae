"""Write lambdalint/data/paginators.json from an installed botocore's paginator definitions.

botocore is not a runtime dependency: install it into a scratch environment, run
`python scripts/generate_paginators.py`, commit the data file. LL120 reads it to know which
operations page and which request/response fields carry the continuation token.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "lambdalint" / "data" / "paginators.json"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def snake_case(operation: str) -> str:
    """botocore's own conversion (`ListObjectsV2` -> `list_objects_v2`), as boto3 exposes it."""
    from botocore import xform_name

    return xform_name(operation)


def token_names(spec: object) -> list[str]:
    """Top-level field names of a token spec: a name, a list of names, or a JMESPath expression
    such as `NextMarker || Contents[-1].Key`, whose fallback reads a result field, not a token."""
    items = spec if isinstance(spec, list) else [spec] if isinstance(spec, str) else []
    names: list[str] = []
    for item in items:
        match = IDENTIFIER.search(item.split("||")[0])
        if match:
            names.append(match.group(0))
    return names


def latest_paginators(service_dir: Path) -> dict | None:
    """The newest API version's paginators-1.json of one service, if it has one."""
    for version in sorted((p for p in service_dir.iterdir() if p.is_dir()), reverse=True):
        path = version / "paginators-1.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8")).get("pagination", {})
    return None


def build() -> dict:
    import botocore

    data_dir = Path(botocore.__file__).parent / "data"
    services: dict[str, dict[str, list[str]]] = {}
    limit_keys: set[str] = set()
    for service_dir in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        pagination = latest_paginators(service_dir)
        if not pagination:
            continue
        operations = {}
        for operation, spec in sorted(pagination.items()):
            tokens = token_names(spec.get("input_token")) + token_names(spec.get("output_token"))
            if spec.get("more_results"):
                tokens += token_names(spec["more_results"])
            operations[snake_case(operation)] = sorted(set(tokens))
            if isinstance(spec.get("limit_key"), str):
                limit_keys.add(spec["limit_key"])
        services[service_dir.name] = dict(sorted(operations.items()))
    return {
        "source": "botocore data/<service>/<version>/paginators-1.json",
        "generated": datetime.date.today().isoformat(),
        "botocore_version": botocore.__version__,
        "limit_keys": sorted(limit_keys),
        "services": services,
    }


def main() -> int:
    data = build()
    OUTPUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n", "utf-8")
    count = sum(len(ops) for ops in data["services"].values())
    print(f"wrote {OUTPUT} ({len(data['services'])} services, {count} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
