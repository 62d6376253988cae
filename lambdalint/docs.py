"""Rule pages: where they are, and the examples they hold (which are also the tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lambdalint.core.rule import Rule

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)
EXPECT = re.compile(r"#\s*expect:\s*(?P<ids>LL\d{3}(?:\s*,\s*LL\d{3})*)")


def pages_dir() -> Path:
    """Inside an installed wheel the pages sit in the package; in a checkout, at the repo root."""
    package = Path(__file__).parent
    shipped = package / "rule_pages"
    return shipped if shipped.is_dir() else package.parent / "rules"


def page_path(rule_id: str) -> Path:
    return pages_dir() / f"{rule_id}.md"


def render_page(rule: type[Rule]) -> str:
    """The page with the facts only the registry knows (severity, default, fix, scope, ids in
    other tools) put under its title."""
    meta = rule.meta
    path = page_path(meta.id)
    text = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else f"# {meta.id} {meta.name}\n\n{meta.summary}\n"
    )
    title, _, rest = text.partition("\n")
    default = "on" if meta.default else "off (enable with `--extend-select " + meta.id + "`)"
    facts = (
        f"\nSeverity: **{meta.severity}** · default: **{default}** · fix: **{meta.fix}**"
        f" · reads: **{rule.scope}**\n"
    )
    if meta.anchors:
        facts += f"Also known as: {', '.join(meta.anchors)}\n"
    return f"{title}\n{facts}{rest}"


@dataclass
class Example:
    rule: str
    kind: str  # "bad", "good" or "fixed"
    language: str  # "python", "yaml", "json", ...
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    expected: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, rule)
    name: str = ""


def examples(path: Path) -> list[Example]:
    """Bad, good and fixed examples of one page. Blocks with `file=` right after each other form
    one multi-file project; a block's `# expect: LLxxx` marks a line that must get a finding
    (`expect=4,10` in the info string marks lines 4 and 10 for the page's rule)."""
    rule = path.stem
    found: list[Example] = []
    current: Example | None = None
    last_end = -1
    text = path.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        words = match.group("info").split()
        if len(words) < 2 or words[1] not in ("bad", "good", "fixed"):
            current = None
            continue
        language, kind = words[0], words[1]
        attributes = dict(word.split("=", 1) for word in words[2:] if "=" in word)
        filename = attributes.get("file")
        between = text[last_end : match.start()] if last_end >= 0 else ""
        joins = (
            current is not None
            and filename is not None
            and current.kind == kind
            and "```" not in between
            and not between.strip()
        )
        if not joins:
            current = Example(rule, kind, language, name=f"{rule}-{kind}-{len(found) + 1}")
            found.append(current)
        filename = filename or _default_name(language)
        body = match.group("body")
        current.files[filename] = body
        # JSON has no comments: its blocks name their marked lines in the info string instead.
        for number in filter(None, attributes.get("expect", "").split(",")):
            current.expected.append((filename, int(number), rule))
        for number, line in enumerate(body.splitlines(), start=1):
            expect = EXPECT.search(line)
            if expect:
                for rule_id in re.split(r"\s*,\s*", expect.group("ids")):
                    current.expected.append((filename, number, rule_id))
        last_end = match.end()
    return found


def _default_name(language: str) -> str:
    return {
        "python": "app.py",
        "yaml": "template.yaml",
        "json": "template.json",
        "hcl": "main.tf",
        "toml": "pyproject.toml",
    }.get(language, f"example.{language}")


TABLE_START = "<!-- rules-table:start (generated: python scripts/update_readme.py) -->"
TABLE_END = "<!-- rules-table:end -->"


def rules_table() -> str:
    """The README's rule table, generated from the registry."""
    from lambdalint.core.rule import all_rules

    rows = ["| id | name | severity | default | fix | summary |", "|---|---|---|---|---|---|"]
    for meta in (cls.meta for cls in all_rules().values()):
        default = "on" if meta.default else "off"
        summary = meta.summary.replace("|", "\\|")
        rows.append(
            f"| {meta.id} | {meta.name} | {meta.severity} | {default} | {meta.fix} | {summary} |"
        )
    return "\n".join(rows)


def with_rules_table(readme: str) -> str:
    start = readme.index(TABLE_START) + len(TABLE_START)
    end = readme.index(TABLE_END)
    return readme[:start] + "\n" + rules_table() + "\n" + readme[end:]
