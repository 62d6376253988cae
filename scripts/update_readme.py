"""Regenerate the README's rule table from the registry (tests/test_readme.py fails when stale)."""

from pathlib import Path

from lambdalint.docs import with_rules_table

README = Path(__file__).resolve().parents[1] / "README.md"

if __name__ == "__main__":
    README.write_text(with_rules_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {README}")
