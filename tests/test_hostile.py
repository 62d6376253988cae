"""Hostile input (issue 8): each numbered case of the issue, and the files a pull request from a
stranger can hold. The property everywhere: the run ends, exit 0/1 (2 only for LL000), no
traceback, the bad file gets one finding, and the good file next to it is still checked."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import main

BAD = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: .
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path

    return write


def check(*args: str):
    """The CLI in-process; an exception escaping it fails the test (no traceback allowed)."""
    result = CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def findings_of(output: str, rule: str) -> list[str]:
    return [line for line in output.splitlines() if f": {rule} [" in line]


def assert_good_file_checked(output: str) -> None:
    assert "good.py:4:" in output and "LL101" in output, output


def elif_chain(branches: int) -> str:
    return "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(branches))


# 1. valid Python nested and chained beyond the default recursion limit is analysed.
@pytest.mark.parametrize(
    "code",
    [
        "x = " + "[" * 139 + "]" * 139 + "\n",
        "x = " + "{1: " * 138 + "1" + "}" * 138 + "\n",
        "x = " + "(1, " * 138 + "1" + ")" * 138 + "\n",
        "x = a" + ".b()" * 161 + "\n",
        elif_chain(322),
        "x = " + " + ".join(["a"] * 323) + "\n",
        "x = " + " ".join(['"a"'] * 323) + "\n",
    ],
    ids=["list", "dict", "tuple", "method-chain", "elif", "plus", "adjacent-strings"],
)
def test_case1_deep_valid_python_is_analysed(project, code):
    project({"deep.py": code + BAD, "good.py": BAD})
    result = check(".")
    assert result.exit_code == 1
    assert not findings_of(result.output, "LL001") and not findings_of(result.output, "LL000")
    assert "deep.py:" in result.output  # its own LL101 was found below the deep part


# 2. what would make libcst's native parser crash or crawl is refused before it runs.
@pytest.mark.parametrize(
    "code",
    [
        "x = " + "[" * 3000 + "]" * 3000 + "\n",
        elif_chain(9000),
        "x = a" + ".b()" * 5000 + "\n",
        "x = " + " + ".join(["a"] * 4000) + "\n",
    ],
    ids=["brackets", "elif", "method-chain", "plus"],
)
def test_case2_libcst_is_bounded(project, code):
    project({"huge.py": code, "good.py": BAD})
    result = check(".")
    assert result.exit_code == 1
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("huge.py:")
    assert "too complex to analyse" in finding or "syntax error" in finding
    assert_good_file_checked(result.output)


def test_module_level_async_with_is_refused_by_cpython_though_libcst_parses_it(project):
    """Issue 9: a file CPython will not compile (Lambda cannot import it) is LL001, even where
    libcst's more permissive grammar accepts it."""
    code = "import aioboto3\n\nasync with aioboto3.Session().client('s3') as s3:\n    pass\n"
    project({"top.py": code, "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("top.py:3:") and "outside async function" in finding
    assert_good_file_checked(result.output)


def test_case2_cpython_judges_first(project):
    project({"top.py": "return 1\n", "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert "top.py:1:" in finding and "'return' outside function" in finding
    assert_good_file_checked(result.output)


# 3. big literals.
def test_case3_huge_integer_in_python(project):
    project({"big.py": "x = " + "1" * 4301 + "\n" + BAD, "good.py": BAD})
    result = check(".")
    assert not findings_of(result.output, "LL000")
    assert result.exit_code == 1
    assert_good_file_checked(result.output)


def test_case3_huge_numbers_in_templates(project):
    fn = '"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", '
    fn += '"Handler": "app.handler", "Timeout": ' + "1" * 4301 + ', "MemorySize": 1e309}}'
    sqs = '"Q": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 1e309}}'
    project(
        {
            "t.json": f'{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{{fn}, {sqs}}}}}',
            "template.yaml": TEMPLATE
            + "      Timeout: 1.0e+309\n      MemorySize: '1e309'\n"
            + "      ReservedConcurrentExecutions: "
            + "9" * 5000
            + "\n",
            "good.py": BAD,
        }
    )
    result = check(".")
    assert not findings_of(result.output, "LL000"), result.output
    assert result.exit_code == 1
    assert_good_file_checked(result.output)


# 4. a YAML tag whose value does not fit.
def test_case4_bool_tag_on_non_boolean(project):
    project({"template.yaml": TEMPLATE + "      Timeout: !!bool maybe\n", "good.py": BAD})
    result = check(".")
    assert not findings_of(result.output, "LL000"), result.output
    assert_good_file_checked(result.output)


# 5. encodings that decode to lone surrogates.
def test_case5_utf7_cookie_with_lone_surrogate(project):
    project({"seven.py": "# coding: utf-7\nx = '+2AA-'\n", "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("seven.py:2:") and "lone surrogate" in finding
    assert_good_file_checked(result.output)


def test_case5_lone_surrogate_escape_in_json_template(project):
    env = '"Environment": {"Variables": {"A\\ud800": "\\ud800"}}'
    fn = '"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", '
    fn += '"Handler": "app.handler", ' + env + "}}"
    project(
        {
            "t.json": f'{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{{fn}}}}}',
            "good.py": BAD,
        }
    )
    result = check("--format", "json", ".")
    assert '"LL000"' not in result.output
    assert "good.py" in result.output


# 6. inline template code goes through the same guard.
def test_case6_inline_code_deep_elif(project):
    code = "def handler(event, context):\n    if event:\n        pass\n"
    code += "".join(f"    elif event == {i}:\n        pass\n" for i in range(400))
    body = "".join(f"          {line}\n" for line in code.splitlines())
    template = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n"
        "    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: index.handler\n      Code:\n        ZipFile: |\n" + body
    )
    project({"template.yaml": template, "good.py": BAD})
    result = check(".")
    assert not findings_of(result.output, "LL000"), result.output
    assert result.exit_code == 1
    assert_good_file_checked(result.output)


# 10. --verbose never changes the exit code of an internal error.
def test_case10_verbose_internal_error_still_exits_2(project, monkeypatch):
    from lambdalint.frontends.python import parse

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(parse, "_extract_facts", broken)
    project({"app.py": BAD})
    for flags in ([], ["--verbose"]):
        result = CliRunner().invoke(main, ["check", "--no-cache", *flags, "."])
        assert result.exit_code == 2, result.output
        [finding] = findings_of(result.output, "LL000")
        assert "step" in finding and "RuntimeError: boom" in finding
        assert ("Traceback" in result.output) == bool(flags)


# Other files a repository can hold.
def test_nul_bytes_and_binary_python(project):
    project({"nul.py": b"x = 1\0\n", "bin.py": bytes(range(256)) * 4, "good.py": BAD})
    result = check(".")
    assert len(findings_of(result.output, "LL001")) == 2
    assert_good_file_checked(result.output)


def test_utf16_with_bom_is_decoded_or_refused_cleanly(project):
    project({"wide.py": "\ufeffx = 1\n".encode("utf-16"), "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("wide.py:")
    assert_good_file_checked(result.output)


def test_names_with_spaces_and_newlines(project):
    project({"a b.py": BAD, "new\nline.py": BAD, "good.py": BAD})
    result = check("--format", "json", ".")
    assert "a b.py" in result.output and "new\\nline.py" in result.output
    assert result.exit_code == 1


def test_max_file_size_counts_bytes_read(project):
    project({"lambdalint.toml": "max-file-size = 100\n", "big.py": "x = 1\n" * 100, "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("big.py:") and "too large" in finding
    assert_good_file_checked(result.output)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_case7_fifo_is_not_read(project):
    root = project({"good.py": BAD})
    os.mkfifo(root / "x.py")
    os.mkfifo(root / "template.yaml")
    completed = subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", "--no-cache", "."],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in completed.stderr
    assert "x.py:1:1: LL001" in completed.stdout and "not a regular file" in completed.stdout
    assert "good.py:4:" in completed.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_case7_symlink_to_dev_zero_is_bounded(project):
    root = project({"good.py": BAD})
    (root / "zero.py").symlink_to("/dev/zero")
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("zero.py:")
    assert_good_file_checked(result.output)


def test_case11_symlink_out_of_the_project_is_never_printed(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secrets.py"
    secret.write_text("AWS_SECRET = 'do-not-print-me'\n")
    root = project({"good.py": BAD})
    (root / "env.py").symlink_to(secret)
    result = check(".")
    assert "do-not-print-me" not in result.output
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("env.py:") and "outside the project" in finding
    assert_good_file_checked(result.output)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def git_project(project, files: dict[str, str | bytes]) -> Path:
    """A project in a git checkout, so discovery goes through `git ls-files`."""
    root = project(files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "x")
    return root


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_discovery_runs_nothing_the_repository_configures(project, tmp_path):
    marker = tmp_path / "ran"
    root = git_project(project, {"good.py": BAD})
    git(root, "config", "core.fsmonitor", f"touch {marker}; false")
    result = check(".")
    assert not marker.exists()
    assert_good_file_checked(result.output)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_discovery_keeps_the_file_guards(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secrets.py"
    secret.write_text("AWS_SECRET = 'do-not-print-me'\n")
    root = project({"good.py": BAD})
    (root / "env.py").symlink_to(secret)
    (root / "zero.py").symlink_to("/dev/zero")
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "loop.py").symlink_to("loop1")
    git_project(project, {})
    os.mkfifo(root / "x.py")  # untracked: listed by ls-files -o if git lists it at all
    completed = subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", "--no-cache", "."],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in completed.stderr
    assert "do-not-print-me" not in completed.stdout
    lines = findings_of(completed.stdout, "LL001")
    assert any(line.startswith("env.py:") for line in lines)
    assert any(line.startswith("zero.py:") for line in lines)
    assert_good_file_checked(completed.stdout)


def test_no_code_execution(project, tmp_path):
    marker = tmp_path / "ran"
    side_effect = f"open({str(marker)!r}, 'w').write('x')\n"
    project(
        {
            "evil.py": side_effect + BAD,
            "template.yaml": TEMPLATE
            + "      Timeout: !!python/object/apply:os.system ['touch "
            + str(marker)
            + "']\n",
        }
    )
    result = check(".")
    assert result.exit_code == 1
    assert not marker.exists()


def test_case7_symlink_loop_and_dangling_link_named_first(project):
    root = project({"good.py": BAD})
    (root / "loop1").symlink_to("loop2")
    (root / "loop2").symlink_to("loop1")
    (root / "loop.py").symlink_to("loop1")
    (root / "gone.py").symlink_to("nowhere.py")
    result = check("loop.py", "gone.py", "good.py")
    assert result.exit_code == 1
    assert len(findings_of(result.output, "LL001")) == 2
    assert_good_file_checked(result.output)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and searches everything")
def test_case7_unsearchable_directory_and_unreadable_file(project):
    root = project({"locked/app.py": BAD, "secret.py": BAD, "good.py": BAD})
    (root / "locked").chmod(0o644)  # listable, not searchable
    (root / "secret.py").chmod(0)
    try:
        result = check(".")
        named = check("secret.py", "good.py")
    finally:
        (root / "locked").chmod(0o755)
        (root / "secret.py").chmod(0o644)
    assert_good_file_checked(result.output)
    assert findings_of(named.output, "LL001")[0].startswith("secret.py:")
    assert_good_file_checked(named.output)


def test_case8_gitignore_lines_git_rejects_are_skipped(project):
    project({".gitignore": "!\n\\\nignored.py\n", "ignored.py": BAD, "good.py": BAD})
    result = check(".")
    assert "ignored.py" not in result.output
    assert_good_file_checked(result.output)


def test_case8_gitignore_matching_is_linear(project):
    import time

    name = "a" * 57 + ".py"
    project({".gitignore": "*a*a*a*a*a*a*a*a*b\n", name: BAD, "good.py": BAD})
    started = time.perf_counter()
    result = check(".")
    assert time.perf_counter() - started < 10
    assert name in result.output
    assert_good_file_checked(result.output)


# 13. the cache is input.
CACHE = ".lambdalint_cache/cache.sqlite3"
FILE_RESULT = '{"~d":"lambdalint.engine.work:FileResult"'
LOCATED = '{"~d":"lambdalint.engine.located:LocatedEntry"'  # placed findings, not results


class Entry:
    """One row of the SQLite cache, read and written as its JSON text."""

    def __init__(self, database: Path, key: str):
        self.database, self.key = database, key

    def read_text(self) -> str:
        with closing(sqlite3.connect(self.database)) as db:
            return db.execute("SELECT value FROM entries WHERE key = ?", (self.key,)).fetchone()[0]

    def write_text(self, text: str) -> None:
        with closing(sqlite3.connect(self.database)) as db, db:
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (text, self.key))


def cache_entries(database: Path, per_file: bool = True) -> list[Entry]:
    """The per-file entries (a `FileResult` each), else the whole-run results."""
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT key, value FROM entries ORDER BY key").fetchall()
    return [
        Entry(database, key)
        for key, value in rows
        if value.startswith(FILE_RESULT) == per_file and not value.startswith(LOCATED)
    ]


def cached_run(project, files: dict[str, str]):
    root = project({"lambdalint.toml": "", **files})
    CliRunner().invoke(main, ["check", "."], catch_exceptions=False)
    entries = cache_entries(root / CACHE)
    assert entries
    return root, entries


def rerun(root: Path | None = None):
    """The same run again; with `root`, every file touched first, so the whole-run result no
    longer applies and the per-file entries (keyed by content) are read."""
    if root is not None:
        for path in root.rglob("*.py"):
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    result = CliRunner().invoke(main, ["check", "."], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_case13_deep_and_mistyped_entries_are_misses(project):
    import json

    root, entries = cached_run(project, {"good.py": BAD})
    for poison in ("[" * 100_000 + "]" * 100_000, json.dumps({"~d": "x", "f": 5})):
        entries[0].write_text(poison)
        result = rerun(root)
        assert result.exit_code == 1
        assert_good_file_checked(result.output)
        assert entries[0].read_text() != poison  # rewritten
    entry = json.loads(entries[0].read_text())
    entry["f"]["findings"] = 5
    entries[0].write_text(json.dumps(entry))
    assert_good_file_checked(rerun(root).output)
    assert entries[0].read_text() != json.dumps(entry)


def test_case13_entry_cannot_describe_another_file(project):
    import json

    root, entries = cached_run(project, {"a.py": "x = 1\n", "good.py": BAD})
    for entry_path in entries:
        entry = json.loads(entry_path.read_text())
        if entry["f"]["source"]["f"]["display"] != "a.py":
            continue
        directive = {
            "~d": "lambdalint.core.directive:Directive",
            "f": {
                "path": "good.py",
                "line": 1,
                "column": 1,
                "kind": "file-ignore",
                "codes": {"~t": ["LL101"]},
                "own_line": True,
            },
        }
        entry["f"]["directives"] = [directive]
        span = {
            "~d": "lambdalint.core.span:Span",
            "f": {"path": "other.py", "line": 1, "column": 1, "end_line": 1, "end_column": 2},
        }
        finding = {
            "~d": "lambdalint.core.finding:Finding",
            "f": {
                "rule": "LL000",
                "severity": {"~e": "lambdalint.core.finding:Severity", "v": 3},
                "message": "injected",
                "where": span,
            },
        }
        entry["f"]["findings"] = [finding]
        entry_path.write_text(json.dumps(entry))
    result = rerun(root)
    assert "injected" not in result.output
    assert result.exit_code == 1
    assert_good_file_checked(result.output)


def test_case13_decoding_imports_nothing_an_entry_names(project, monkeypatch):
    import json

    root, entries = cached_run(project, {"good.py": BAD})
    entry = json.loads(entries[0].read_text())
    entry["f"]["facts"] = {"~d": "lambdalint.__main__:main", "f": {}}
    entries[0].write_text(json.dumps(entry))
    monkeypatch.delitem(sys.modules, "lambdalint.__main__", raising=False)
    result = rerun(root)
    assert "lambdalint.__main__" not in sys.modules
    assert_good_file_checked(result.output)


def stored_run(project):
    """A cached run's whole-run entry, as (entry, its JSON with the result's fields)."""
    import json

    root, _ = cached_run(project, {"good.py": BAD})
    (entry,) = cache_entries(root / CACHE, per_file=False)
    stored = json.loads(entry.read_text())
    return entry, stored, stored["~t"][1]["f"]


def test_case13_a_stored_run_result_is_read_back(project):
    import json

    entry, stored, result = stored_run(project)
    result["findings"][0]["f"]["message"] = "told by the stored result"
    entry.write_text(json.dumps(stored))
    assert "told by the stored result" in rerun().output  # the fast path the next tests poison


def test_case13_stored_run_result_cannot_describe_another_file(project):
    import copy
    import json

    entry, stored, result = stored_run(project)
    injected = copy.deepcopy(result["findings"][0])
    injected["f"]["message"] = "injected"
    injected["f"]["where"]["f"]["path"] = "other.py"
    result["findings"].append(injected)
    entry.write_text(json.dumps(stored))
    output = rerun().output
    assert "injected" not in output and "other.py" not in output
    assert_good_file_checked(output)


@pytest.mark.parametrize(
    "poison",
    [
        {"where": {"~d": "lambdalint.core.span:NodeRef", "f": {"path": "good.py"}}},
        {
            "where": {
                "~d": "lambdalint.core.span:NodeRef",
                "f": {"path": "good.py", "kind": "Call", "index": 0},
            }
        },
        {"rule": "LL999"},
        {"related": 5},
        {"severity": {"~e": "lambdalint.core.finding:Severity", "v": 99}},
    ],
)
def test_case13_crafted_stored_run_results_are_misses(project, poison):
    import json

    entry, stored, result = stored_run(project)
    result["findings"][0]["f"].update(poison)
    result["findings"][0]["f"]["message"] = "crafted"
    entry.write_text(json.dumps(stored))
    output = rerun().output
    assert "crafted" not in output
    assert_good_file_checked(output)


def test_case13_a_cache_file_that_is_a_link_is_not_used(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "cache.sqlite3"
    root = project({"lambdalint.toml": "", "good.py": BAD})
    (root / ".lambdalint_cache").mkdir()
    (root / CACHE).symlink_to(elsewhere)
    assert_good_file_checked(rerun().output)
    assert not elsewhere.exists()  # never created, read or written through the link
    os.mkfifo(root / "fifo")
    (root / CACHE).unlink()
    (root / CACHE).symlink_to(root / "fifo")
    assert_good_file_checked(rerun().output)  # and never blocks on a FIFO


def test_case13_cache_never_lands_in_the_working_directory(project, monkeypatch, tmp_path_factory):
    home = tmp_path_factory.mktemp("cachehome")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    root = project({"good.py": BAD})
    result = CliRunner().invoke(main, ["check", "."], catch_exceptions=False)
    assert_good_file_checked(result.output)
    assert not (root / ".lambdalint_cache").exists()
    assert (home / "lambdalint" / CACHE).is_file()


# 12. --fix stays inside the project and keeps what it does not own.
def fix_run(*args: str):
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--fix", "--unsafe-fixes", *args], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    return result


def test_case12_fix_never_writes_through_a_symlink_out_of_the_project(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "lib.py"
    outside.write_text(BAD)
    root = project({"good.py": BAD})
    (root / "lib.py").symlink_to(outside)
    fix_run("--select", "LL101", ".")
    assert outside.read_text() == BAD
    assert (root / "good.py").read_text() != BAD  # the project's own file was fixed


def test_case12_fix_skips_read_only_files_and_goes_on(project):
    root = project({"locked.py": BAD, "good.py": BAD})
    (root / "locked.py").chmod(0o444)
    result = fix_run("--select", "LL101", ".")
    assert (root / "locked.py").read_text() == BAD
    assert "locked.py" in result.output and "read-only" in result.output
    assert (root / "good.py").read_text() != BAD


def test_case12_fix_keeps_mode_and_hard_links(project):
    root = project({"app.py": BAD})
    (root / "app.py").chmod(0o640)
    os.link(root / "app.py", root / "twin.txt")
    fix_run("--select", "LL101", "app.py")
    assert oct((root / "app.py").stat().st_mode & 0o777) == oct(0o640)
    assert (root / "twin.txt").read_text() == (root / "app.py").read_text() != BAD


def test_fix_keeps_cr_only_line_endings(project):
    root = project({"app.py": BAD.replace("\n", "\r").encode()})
    fix_run("--select", "LL101", "app.py")
    data = (root / "app.py").read_bytes()
    assert b"\n" not in data and data != BAD.replace("\n", "\r").encode()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_case12_unwritable_directory_is_reported_not_fatal(project):
    root = project({"ro/app.py": BAD, "good.py": BAD})
    (root / "ro").chmod(0o555)
    try:
        result = fix_run("--select", "LL101", ".")
    finally:
        (root / "ro").chmod(0o755)
    assert "ro/app.py" in result.output
    assert (root / "good.py").read_text() != BAD


def test_yaml_alias_expansion_is_bounded_for_every_shape(project):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "x0: &a0 {k: v, j: !Ref X}"]
    for i in range(1, 30):
        previous = f"*a{i - 1}"
        lines.append(
            f"x{i}: &a{i} {{<<: {previous}, m: !Sub [{previous}, {previous}], "
            f"n: [{previous}, {previous}]}}"
        )
    lines.append("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *a29\n")
    project({"template.yaml": "\n".join(lines), "good.py": BAD})
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("template.yaml:") and "aliases" in finding
    assert_good_file_checked(result.output)


def test_file_deleted_during_the_run(project, monkeypatch):
    from lambdalint.engine import run as engine_run

    root = project({"gone.py": BAD, "good.py": BAD})
    real = engine_run.discover

    def discover_then_delete(*args, **kwargs):
        found = real(*args, **kwargs)
        (root / "gone.py").unlink()
        return found

    monkeypatch.setattr(engine_run, "discover", discover_then_delete)
    result = check(".")
    [finding] = findings_of(result.output, "LL001")
    assert finding.startswith("gone.py:") and "cannot read" in finding
    assert_good_file_checked(result.output)


def test_no_network(project, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("lambdalint opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    project({"template.yaml": TEMPLATE, "app.py": BAD, "good.py": BAD})
    result = check(".")
    assert result.exit_code == 1
    assert_good_file_checked(result.output)


def _dies_on_poison(item: str) -> str:
    if item == "poison":
        os._exit(70)  # to the pool, like a native crash or the memory killer
    return item.upper()


def test_a_worker_that_dies_costs_only_its_own_files():
    from lambdalint.engine.pool import map_files

    items = [f"file{i}" for i in range(40)]
    items[17] = "poison"
    results = map_files(_dies_on_poison, items, lost=lambda item: f"lost {item}")
    assert results[17] == "lost poison"
    assert results[:17] == [item.upper() for item in items[:17]]
    assert results[18:] == [item.upper() for item in items[18:]]


def test_terraform_and_serverless_odd_values(project):
    project(
        {
            "infra/main.tf": 'resource "aws_lambda_function" "f" {\n'
            '  function_name = "x"\n  runtime = "python3.12"\n  handler = "app.handler"\n'
            "  timeout = " + "1" * 5000 + "\n  memory_size = 1e309\n"
            '  environment { variables = { A = "\\ud800" } }\n}\n',
            "deep/main.tf": "locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n",
            "serverless.yml": "service: x\nprovider:\n  name: aws\n  runtime: python3.12\n"
            "  timeout: 1.0e+309\nfunctions:\n  f:\n    handler: app.handler\n"
            "    timeout: !!bool maybe\n    memorySize: " + "9" * 5000 + "\n",
            "good.py": BAD,
        }
    )
    result = check(".")
    assert not findings_of(result.output, "LL000"), result.output
    assert_good_file_checked(result.output)
