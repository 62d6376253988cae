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
jobs = 3
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
    assert settings.jobs == 3
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
        ("[severity]\nLL101 = 'fatal'\n", "severity.LL101: unknown severity", 2),
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


# -- full validation: every key and value, never a traceback (issue 8 item 9) ---------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "lambdalint.toml",
            '[options.LL109]\ntimeout = "3"\n',
            "lambdalint.toml:2: options.LL109.timeout: expected a finite number from 0.1 to 900 "
            "(seconds), got '3'",
        ),
        (
            "lambdalint.toml",
            "[options]\nLL109 = { timeout = -5 }\n",
            "lambdalint.toml:2: options.LL109.timeout: expected a finite number from 0.1 to 900 "
            "(seconds), got -5",
        ),
        (
            "lambdalint.toml",
            "[options.LL109]\ntimeout = inf\n",
            "lambdalint.toml:2: options.LL109.timeout: expected a finite number from 0.1 to 900 "
            "(seconds), got inf",
        ),
        (
            "lambdalint.toml",
            "\n[options.LL202]\nmax_seconds = 'abc'\n",
            "lambdalint.toml:3: options.LL202.max_seconds: expected a finite number from 1 to 900 "
            "(seconds), got 'abc'",
        ),
        (
            "lambdalint.toml",
            "[options.LL109]\nseconds = 3\n",
            "lambdalint.toml:2: options.LL109.seconds: LL109 has no option 'seconds' "
            "(its options: timeout)",
        ),
        (
            "lambdalint.toml",
            "[per-file-ignores]\n'tests/*' = 5\n",
            "lambdalint.toml:2: per-file-ignores.tests/*: expected a list of rule ids",
        ),
        (
            "lambdalint.toml",
            "[per-file-ignores]\n'tests/*' = [5]\n",
            "lambdalint.toml:2: per-file-ignores.tests/*: expected a list of rule ids",
        ),
        (
            "pyproject.toml",
            "[tool]\nlambdalint = 5\n",
            "pyproject.toml:2: tool.lambdalint: expected a table",
        ),
        ("pyproject.toml", "tool = 5\n", "pyproject.toml:1: tool: expected a table"),
        (
            "lambdalint.toml",
            "select = " + "[" * 500 + "]" * 500 + "\n",
            "lambdalint.toml: invalid TOML: nested too deeply",
        ),
        (
            "lambdalint.toml",
            "select = [[['LL101']]]\n",
            "lambdalint.toml:1: select: expected a list of rule ids",
        ),
        (
            "lambdalint.toml",
            "jobs = 0\n",
            "lambdalint.toml:1: jobs: expected a whole number from 1 to 256, got 0",
        ),
        (
            "lambdalint.toml",
            "max-file-size = 1e3\n",
            "lambdalint.toml:1: max-file-size: expected a whole number of bytes",
        ),
        (
            "lambdalint.toml",
            "[severity]\nLL101 = 3\n",
            'lambdalint.toml:2: severity.LL101: expected "error", "warning" or "info", got 3',
        ),
        (
            "lambdalint.toml",
            "help-url-base = 'docs/rules'\n",
            "lambdalint.toml:1: help-url-base: expected an http(s) URL, got 'docs/rules'",
        ),
    ],
)
def test_wrong_values_are_configuration_errors_with_exit_2(
    tmp_path, monkeypatch, name, text, expected
):
    from click.testing import CliRunner

    from lambdalint.cli import main

    write(tmp_path / name, text)
    write(tmp_path / "app.py", "x = 1\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--config", name, "app.py"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"lambdalint: error: {name}" in result.stderr
    assert expected in result.stderr


def test_valid_options_reach_the_rule(tmp_path):
    config = write(tmp_path / "lambdalint.toml", "[options.LL109]\ntimeout = 2.5\n")
    settings = read_config(config)
    assert settings.options == {"LL109": {"timeout": 2.5}}
    from lambdalint.engine.run import instantiate

    (rule,) = instantiate(settings, {"LL109"})
    assert rule.options == {"timeout": 2.5}


def test_help_url_base_is_read_and_used_for_every_rule(tmp_path):
    from lambdalint.core.rule import DEFAULT_HELP_BASE, all_rules

    config = write(
        tmp_path / "lambdalint.toml", "help-url-base = 'https://docs.example.com/rules'\n"
    )
    settings = read_config(config)
    assert settings.help_url_base == "https://docs.example.com/rules"
    meta = all_rules()["LL101"].meta
    assert meta.help_url(settings.help_url_base) == "https://docs.example.com/rules/LL101.md"
    assert read_config(write(tmp_path / "x.toml", "")).help_url_base == DEFAULT_HELP_BASE


def test_every_declared_option_is_documented_with_its_range_on_the_rules_page():
    from lambdalint.core.rule import all_rules
    from lambdalint.docs import pages_dir

    for rule_id, cls in all_rules().items():
        if not cls.meta.options:
            continue
        page = (pages_dir() / f"{rule_id}.md").read_text(encoding="utf-8")
        section = page.split("## Options", 1)[1].split("\n## ", 1)[0]
        for option in cls.meta.options:
            assert f"`{option.name}`" in section, (rule_id, option.name)
            if option.minimum is not None and option.maximum is not None:
                assert f"from {option.minimum:g} to {option.maximum:g}" in section, option
            assert f"default `{option.default}`" in section, (rule_id, option)


def test_our_table_written_inline_under_tool_is_found(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool]\nlambdalint = { ignore = ['LL101'] }\n")
    assert load_settings([tmp_path]).ignore == ["LL101"]


def test_a_wrong_value_for_our_table_is_an_error_not_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool]\nlambdalint = 5\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: tool.lambdalint: expected a table"):
        load_settings([tmp_path])


def test_a_pyproject_naming_lambdalint_elsewhere_is_not_our_configuration(tmp_path):
    text = "[project.scripts]\nlambdalint = 'lambdalint.cli:main'\n"
    write(tmp_path / "pyproject.toml", text)
    assert find_config(tmp_path) is None
