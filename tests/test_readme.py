from pathlib import Path

from lambdalint.docs import with_rules_table

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == with_rules_table(readme), (
        "stale rule table: run python scripts/update_readme.py"
    )


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "pip install -e '.[dev]'" in readme and "pip install -e '.[dev]'" in ci
    assert "```\npytest\n```" in readme and ci[-1] == "pytest"
