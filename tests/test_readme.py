import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lambdalint.docs import with_rules_table

ROOT = Path(__file__).resolve().parents[1]


def test_readme_rule_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == with_rules_table(readme), (
        "stale rule table: run python scripts/update_readme.py"
    )


def test_ci_runs_exactly_the_readme_commands_on_every_supported_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "```\npip install -e '.[dev]'\n```" in readme and "```\npytest\n```" in readme
    commands = [line.strip() for line in ci.splitlines()]
    assert "pip install -e '.[dev]' &&" in commands and "pytest" in commands
    supported = re.search(r"Supported: CPython ([0-9., and]+)\.", readme).group(1)
    defaults = re.search(r"versions=\(([0-9. ]+)\)", ci).group(1).split()
    assert re.findall(r"3\.\d+", supported) == defaults == ["3.10", "3.11", "3.12", "3.13"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_ci_reports_a_missing_interpreter_and_fails():
    ci = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "3.99"], capture_output=True, text=True, timeout=60
    )
    assert ci.returncode != 0
    assert "Python 3.99: MISSING" in ci.stderr and "ci: 3.99 missing" in ci.stderr
