"""Values that stand in for a secret (in code, templates and examples) rather than being one."""

from __future__ import annotations

import re

DUMMY_WORDS = frozenset(
    {"", "x", "password", "pass", "passwd", "secret", "none", "null", "true", "false"}
)
# Words that start the values moto, LocalStack and tutorials use in place of credentials.
PLACEHOLDER = re.compile(r"^(?:mock|fake|dummy|test|sample|placeholder|changeme|your|x{3,})", re.I)
# Template and format marks: `${DB_PASSWORD}`, `<api key>`, `{password}`, `%s`, `****`.
MARKS = ("{", "}", "$", "<", ">", "%s", "*")


def is_placeholder(text: str) -> bool:
    """Dummies (`mock`, `fake-key`, `test123`, `xxxx`), anything containing `example` (AWS's
    documentation keys end in `EXAMPLE`), and template marks are not secrets."""
    stripped = text.strip()
    return (
        stripped.lower() in DUMMY_WORDS
        or PLACEHOLDER.match(stripped) is not None
        or "example" in stripped.lower()
        or any(mark in stripped for mark in MARKS)
    )
