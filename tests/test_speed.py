"""What makes runs fast changes nothing but speed: parallel runs and warm sessions report what a
plain single-process run reports over the test corpus (every rule page example and
tests/fixtures)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.docs import examples, pages_dir
from lambdalint.engine.pool import SEQUENTIAL_BELOW, map_files
from lambdalint.engine.run import run
from lambdalint.engine.session import Session

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = __import__("datetime").date(2026, 12, 1)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Every page example in a directory of its own, and the fixtures, as one tree."""
    root = tmp_path_factory.mktemp("corpus")
    for page in sorted(pages_dir().glob("LL*.md")):
        for example in examples(page):
            for name, text in example.files.items():
                target = root / "pages" / example.name / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    shutil.copytree(FIXTURES, root / "fixtures")
    return root


def settings_for(root: Path, **values) -> Settings:
    return Settings(root=root, select=["ALL"], cache=False, as_of=AS_OF, **values)


def outcome(result) -> list[tuple]:
    return [
        (f.rule, f.path, f.span.line, f.span.column, f.message, f.fingerprint)
        for f in result.findings
    ] + [("checked", result.files_checked)]


def _pid(_item: int) -> int:
    return os.getpid()


def test_one_job_works_in_process_and_more_jobs_in_worker_processes():
    items = list(range(SEQUENTIAL_BELOW))
    assert set(map_files(_pid, items, jobs=1)) == {os.getpid()}
    assert os.getpid() not in set(map_files(_pid, items, jobs=2))


def test_small_runs_start_no_pool():
    assert set(map_files(_pid, list(range(SEQUENTIAL_BELOW - 1)), jobs=2)) == {os.getpid()}


def test_a_parallel_run_reports_what_a_single_process_run_reports(corpus, monkeypatch):
    monkeypatch.chdir(corpus)
    single = run([Path(".")], settings_for(corpus, jobs=1))
    parallel = run([Path(".")], settings_for(corpus, jobs=2))
    assert len(single.findings) > 100  # the corpus exercises the rules
    assert outcome(parallel) == outcome(single)


def test_a_warm_session_reports_what_a_fresh_run_reports_after_an_edit(corpus, monkeypatch):
    monkeypatch.chdir(corpus)
    session = Session(settings_for(corpus))
    target = Path("pages/LL101-bad-1/app.py").resolve()
    original = target.read_text(encoding="utf-8")
    edited = original + "\n\ndef extra(event, context):\n    print(event)\n"
    assert outcome(session.check([Path(".")])) == outcome(run([Path(".")], settings_for(corpus)))
    warm = session.check([Path(".")], overlay={target: edited})
    fresh = run([Path(".")], settings_for(corpus), overlay={target: edited})
    assert outcome(warm) == outcome(fresh)


def test_a_warm_session_parses_only_the_edited_file(tmp_path, monkeypatch):
    from lambdalint.engine import run as run_module

    monkeypatch.chdir(tmp_path)
    for name in ("app.py", "lib.py", "other.py"):
        (tmp_path / name).write_text("def handler(event, context):\n    return 1\n")
    session = Session(Settings(root=tmp_path, cache=False))
    session.check([Path(".")])
    parsed: list[str] = []
    real = run_module.analyse_files

    def counting(sources, *args, **kwargs):
        parsed.extend(source.display for source in sources)
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(run_module, "analyse_files", counting)
    text = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
    result = session.check([Path("app.py")], overlay={tmp_path / "app.py": text})
    assert parsed == ["app.py"]
    assert [(f.rule, f.path, f.span.line) for f in result.findings] == [("LL101", "app.py", 4)]


def test_a_warm_session_tries_a_file_that_failed_again(tmp_path, monkeypatch):
    from lambdalint.frontends.python import analyse as python_frontend

    monkeypatch.chdir(tmp_path)
    text = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
    (tmp_path / "app.py").write_text(text)
    session = Session(Settings(root=tmp_path, cache=False))
    real = python_frontend.analyse

    def failing(*args, **kwargs):
        raise RuntimeError("a passing failure")

    monkeypatch.setattr(python_frontend, "analyse", failing)
    assert [f.rule for f in session.check([Path(".")]).findings] == ["LL000"]
    monkeypatch.setattr(python_frontend, "analyse", real)
    assert [f.rule for f in session.check([Path(".")]).findings] == ["LL101"]


def test_jobs_on_the_command_line_win_over_the_configuration(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lambdalint.cli import main
    from lambdalint.core.finding import RunResult
    from lambdalint.engine import run as run_module

    monkeypatch.chdir(tmp_path)
    (tmp_path / "lambdalint.toml").write_text("jobs = 3\n")
    seen: list[int | None] = []

    def recording(paths, settings, *args, **kwargs):
        seen.append(settings.jobs)
        return RunResult(findings=[], files_checked=0, skipped=[])

    monkeypatch.setattr(run_module, "run", recording)
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--exit-zero", "."]).exit_code == 0
    assert runner.invoke(main, ["check", "--exit-zero", "--jobs", "2", "."]).exit_code == 0
    assert seen == [3, 2]
    assert runner.invoke(main, ["check", "--jobs", "0", "."]).exit_code == 2


GIT_TREE = {
    ".gitignore": "build/\n*.log\n",
    "app.py": "def handler(event, context):\n    return 1\n",
    "template.yaml": "Resources: {}\n",
    "notes.txt": "not read\n",
    "build/out.py": "x = 1\n",
    "debug.log": "ignored\n",
    "sub/.gitignore": "*.json\n",
    "sub/data.json": "{}\n",
    "sub/deep/mod.py": "y = 2\n",
    "vendor/requests/__init__.py": "",
    "layer/python/boto3-1.0.dist-info/METADATA": "",
    "layer/python/lib.py": "",
    "node_modules/pkg/index.py": "",
    "svc/serverless.yml": "service: s\n",
    "svc/.serverless/cloudformation-template-update-stack.json": "{}\n",
    "legacy/old.py": "z = 3\n",
    "gone.py": "deleted after the commit\n",
}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_listing_finds_what_walking_the_directories_finds(tmp_path, monkeypatch):
    import subprocess

    from lambdalint.engine import discover as discover_module

    for name, text in GIT_TREE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "tree"], cwd=tmp_path, check=True)
    (tmp_path / "gone.py").unlink()
    (tmp_path / "untracked.py").write_text("w = 4\n")
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path, exclude=["legacy/"])

    listing = discover_module.git_listing(tmp_path)
    assert listing is not None and "gone.py" not in listing[""][1]
    by_git = discover_module.discover([Path(".")], settings)
    monkeypatch.setattr(discover_module, "git_listing", lambda top: None)
    by_walking = discover_module.discover([Path(".")], settings)

    assert by_git == by_walking
    files, skipped = by_git
    assert [f.display for f in files] == [
        "app.py",
        "sub/deep/mod.py",
        "svc/serverless.yml",
        "template.yaml",
        "untracked.py",
    ]
    assert {s.path for s in skipped} == {
        ".gitignore",
        "notes.txt",
        "layer/python",
        "sub/.gitignore",
        "svc/.serverless",
        "vendor/requests",
    }


def test_an_unchanged_run_is_read_back_whole_and_any_change_runs_again(tmp_path, monkeypatch):
    from lambdalint.engine import run as run_module

    monkeypatch.chdir(tmp_path)
    app = tmp_path / "app.py"
    app.write_text("import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n")
    settings = Settings(root=tmp_path)
    first = run([Path(".")], settings)
    analysed: list[int] = []
    real = run_module.analyse_files

    def counting(sources, *args, **kwargs):
        analysed.append(len(sources))
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(run_module, "analyse_files", counting)
    again = run([Path(".")], settings)
    assert analysed == [] and again.findings == first.findings
    assert [(f.rule, f.span.line) for f in again.findings] == [("LL101", 4)]

    # Analysed again: skimmed by the pre-pass, then parsed (a handler).
    run([Path(".")], Settings(root=tmp_path, ignore=["LL101"]))  # other settings
    assert analysed == [1, 1]
    app.write_text("def handler(event, context):\n    return 1\n")  # other content
    assert run([Path(".")], settings).findings == [] and analysed == [1, 1, 1, 1]


def test_a_session_never_recalls_one_file_of_an_assembled_unit(tmp_path, monkeypatch):
    from dataclasses import replace as replaced

    from lambdalint.engine import session as session_module
    from lambdalint.frontends.registry import frontend_of_kind
    from lambdalint.sources import SourceFile

    main = tmp_path / "main.tf"
    main.write_text("resource {}\n")
    source = SourceFile(main, "main.tf", "template", tmp_path, False)
    assert session_module._key(source, 1 << 20, True) is not None
    assembling = replaced(frontend_of_kind("template"), assembles=True)
    monkeypatch.setattr(session_module, "frontend_of_kind", lambda kind: assembling)
    assert session_module._key(source, 1 << 20, True) is None


def test_files_read_as_context_are_not_parsed_again_for_positions(tmp_path, monkeypatch):
    from lambdalint.frontends.python import positions

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the project: its files are context for a named file
    client = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
    (tmp_path / "named.py").write_text(client)
    (tmp_path / "other.py").write_text(client)
    located: list[str] = []
    real = positions.locate_fast

    def recording(text, refs, facts):
        located.extend(ref.path for ref in refs)
        return real(text, refs, facts)

    monkeypatch.setattr(positions, "locate_fast", recording)
    result = run([Path("named.py")], Settings(root=tmp_path, cache=False))
    assert [(f.rule, f.path) for f in result.findings] == [("LL101", "named.py")]
    assert set(located) == {"named.py"}


def test_a_remembered_run_with_fix_marks_never_imports_the_parser(tmp_path):
    """Text output asks for fixes (to mark `[*]`); when the whole run is read back, nothing is
    parsed, so libcst (half a second to import) must not be loaded either."""
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()  # a project of its own: no other test's cache entries
    (tmp_path / "app.py").write_text(
        "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
    )
    check = "from lambdalint.cli import main; main(['check', '--exit-zero', '--isolated', '.'])"
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('libcst loaded:', 'libcst' in sys.modules))\n" + check
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert "LL101" in runs[0] and "1 hidden fix" in runs[0]  # fixes were computed
    assert "libcst loaded: True" in runs[0]
    assert runs[1].replace("libcst loaded: False", "") == runs[0].replace("libcst loaded: True", "")


@pytest.mark.parametrize("where", ["top", "above", "below", "elsewhere"])
def test_discovery_names_and_excludes_files_as_pathlib_would_from_any_directory(
    tmp_path, monkeypatch, where
):
    """Discovery spells display paths and matches exclusions with string operations per
    directory; from any working directory they must be what `display_path` and the configured
    patterns say file by file."""
    from lambdalint.config import path_matches
    from lambdalint.engine.discover import discover
    from lambdalint.sources import display_path

    top = tmp_path / "project"
    for name in ["app.py", "svc/handler.py", "svc/gen/out.py", "infra/template.yaml", "x/y/z.py"]:
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text("x = 1\n" if name.endswith(".py") else "Resources: {}\n")
    (top / "svc" / "notes.txt").write_text("")
    other = tmp_path / "other"
    other.mkdir()
    cwd = {"top": top, "above": tmp_path, "below": top / "svc", "elsewhere": other}[where]
    monkeypatch.chdir(cwd)
    settings = settings_for(top, exclude=["gen/", "x/y"])
    sources, skipped = discover([top], settings)

    files = [p for p in top.rglob("*") if p.is_file()]
    kept = [
        p
        for p in files
        if not any(path_matches(p.relative_to(top).as_posix(), pat) for pat in settings.exclude)
    ]
    claimed = sorted(display_path(p) for p in kept if p.suffix in (".py", ".yaml"))
    assert sorted(source.display for source in sources) == claimed
    assert [s.path for s in skipped] == [display_path(top / "svc" / "notes.txt")]
    assert all(source.path.is_absolute() and source.path.exists() for source in sources)
