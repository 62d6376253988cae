"""Regenerate lambdalint/data/sam_policy_templates.json from aws-sam-translator's policy templates.

Usage:
    python scripts/generate_sam_policy_templates.py [path/to/policy_templates.json]

Without a path, the file shipped inside an installed `aws-sam-translator` package is read
(`pip install aws-sam-translator` into a scratch environment; it is not a lambdalint dependency).
Only what expansion needs is kept: each template's parameter names and statements."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

OUTPUT = (
    Path(__file__).resolve().parent.parent / "lambdalint" / "data" / "sam_policy_templates.json"
)
UPSTREAM = "samtranslator/policy_templates_data/policy_templates.json"


def installed_source() -> tuple[Path, str]:
    import samtranslator  # noqa: PLC0415 - only needed when no path is given

    path = Path(samtranslator.__file__).parent / "policy_templates_data" / "policy_templates.json"
    version = getattr(samtranslator, "__version__", "unknown")
    return path, f"aws-sam-translator {version}, {UPSTREAM}"


def compact(upstream: dict) -> dict:
    templates = {}
    for name, template in sorted(upstream["Templates"].items()):
        statements = template["Definition"]["Statement"]
        templates[name] = {
            "parameters": sorted(template.get("Parameters", {})),
            "statements": statements if isinstance(statements, list) else [statements],
        }
    return templates


def render(source: str, templates: dict) -> str:
    """One template per line: small diffs when AWS adds or changes one."""
    lines = [
        "{",
        f'"source": {json.dumps(source)},',
        f'"generated": "{datetime.date.today().isoformat()}",',
        '"templates": {',
    ]
    entries = [
        f"{json.dumps(name)}: {json.dumps(body, sort_keys=True, separators=(',', ':'))}"
        for name, body in templates.items()
    ]
    lines.append(",\n".join(entries))
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv:
        path, source = Path(argv[0]), f"{UPSTREAM} (from {argv[0]})"
    else:
        path, source = installed_source()
    upstream = json.loads(path.read_text(encoding="utf-8"))
    source += f", format version {upstream.get('Version', '?')}"
    source += " (https://github.com/aws/serverless-application-model)"
    templates = compact(upstream)
    OUTPUT.write_text(render(source, templates), encoding="utf-8")
    print(f"wrote {len(templates)} policy templates to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
