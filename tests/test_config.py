"""Finding and reading the configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.config import ConfigError, find_config, load_settings, read_config
from lambdalint.core.finding import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_found_by_walking_up_from_the_first_path(tmp_path):
    config = write(tmp_path / "pyproject.toml", "[tool.lambdalint]\nignore = ['LL102']\n")
    write(tmp_path / "src" / "fn" / "app.py", "")
    assert find_config(tmp_path / "src" / "fn" / "app.py") == config
    settings = load_settings([tmp_path / "src" / "fn"])
    assert settings.ignore == ["LL102"] and settings.root == tmp_path.resolve()


def test_pyproject_without_our_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.lambdalint]\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_lambdalint_toml_wins_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.lambdalint]\nignore = ['LL102']\n")
    own = write(tmp_path / "lambdalint.toml", "ignore = ['LL101']\n")
    assert find_config(tmp_path) == own


def test_every_key(tmp_path):
    config = write(
        tmp_path / "lambdalint.toml",
        """
select = ["LL1"]
extend-select = ["LL002"]
ignore = ["connection-in-handler"]
exclude = ["legacy/"]
handlers = ["src/app.py:main"]
src = ["src"]
max-file-size = 1000
[per-file-ignores]
"tests/*" = ["LL101"]
[severity]
LL101 = "error"
""",
    )
    settings = read_config(config)
    assert settings.select == ["LL1"] and settings.extend_select == ["LL002"]
    assert settings.severity == {"LL101": Severity.ERROR}
    assert settings.per_file_ignores == {"tests/*": ["LL101"]}
    assert settings.handlers == ["src/app.py:main"] and settings.max_file_size == 1000
    enabled = settings.enabled_rules()
    assert {"LL101", "LL002"} <= enabled
    assert "LL102" not in enabled and "LL000" not in enabled
    assert settings.ignored_for("tests/test_app.py") == {"LL101"}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("select = ['LL1']\nnonsense = 1\n", "nonsense: unknown key", 2),
        ("select = ['LL9']\n", "select: unknown rule 'LL9'", 1),
        ("ignore = ['no-such-rule']\n", "ignore: unknown rule", 1),
        ("[severity]\nLL101 = 'fatal'\n", "unknown severity", 1),
        ("handlers = ['app.py']\n", "path/to/module.py:function", 1),
        ("select = [\n", "invalid TOML", None),
    ],
)
def test_errors_name_the_key_file_and_line(tmp_path, text, message, line):
    config = write(tmp_path / "lambdalint.toml", text)
    with pytest.raises(ConfigError) as error:
        read_config(config)
    assert message in str(error.value)
    assert str(config) in str(error.value)
    if line is not None:
        assert error.value.line == line


def test_isolated_ignores_configuration(tmp_path, monkeypatch):
    write(tmp_path / "lambdalint.toml", "ignore = ['LL101']\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings([tmp_path], isolated=True).ignore == []


def test_explicit_config_file(tmp_path):
    config = write(tmp_path / "custom" / "lint.toml", "ignore = ['LL101']\n")
    assert load_settings([tmp_path], config=config).ignore == ["LL101"]


@pytest.mark.parametrize("value", ["2026-01-01", '"2026-01-01"'])
def test_as_of_is_a_date(tmp_path, value):
    import datetime

    config = write(tmp_path / "lambdalint.toml", f"as-of = {value}\n")
    assert read_config(config).as_of == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("value", ['"soon"', "2026-01-01T00:00:00", "20260101"])
def test_as_of_that_is_not_a_date_is_an_error(tmp_path, value):
    config = write(tmp_path / "lambdalint.toml", f"\nas-of = {value}\n")
    with pytest.raises(ConfigError, match=r"lambdalint.toml:2: as-of: expected a date"):
        read_config(config)
