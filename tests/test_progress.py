"""The progress bar: only on a terminal, only for people, only for runs longer than a second."""

from __future__ import annotations

import io
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.engine.run import run
from lambdalint.report.progress import ProgressBar, wanted

FIXTURE = Path(__file__).parent / "fixtures" / "every_family"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shown_only_on_a_terminal_for_people_outside_ci():
    assert wanted(True, False, Terminal(), {})
    assert not wanted(True, False, io.StringIO(), {})  # a pipe or a file
    assert not wanted(False, False, Terminal(), {})  # sarif, json...: read by programs
    assert not wanted(True, True, Terminal(), {})  # --quiet
    assert not wanted(True, False, Terminal(), {"CI": "true"})
    assert not wanted(True, False, Terminal(), {"GITHUB_ACTIONS": "true"})


class FakeBar:
    def __init__(self, stream) -> None:
        self.updates: list[tuple[int, int]] = []
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def add_task(self, description: str, total: int) -> int:
        return 0

    def update(self, task: int, completed: int, total: int) -> None:
        self.updates.append((completed, total))


def test_the_bar_appears_only_after_a_second_and_goes_away():
    now = [0.0]
    made: list[FakeBar] = []

    def make(stream):
        made.append(FakeBar(stream))
        return made[-1]

    bar = ProgressBar(Terminal(), clock=lambda: now[0], make=make)
    bar(1, 10)
    now[0] = 0.5
    bar(2, 10)
    assert made == []  # a short run shows nothing
    now[0] = 1.2
    bar(3, 10)
    bar(10, 10)
    (shown,) = made
    assert shown.updates == [(3, 10), (10, 10)] and shown.running
    bar.close()
    assert not shown.running


def test_a_run_that_ends_before_the_delay_never_draws():
    now = [5.0]
    made = []
    bar = ProgressBar(Terminal(), clock=lambda: now[0], make=lambda s: made.append(s))
    now[0] = 9.0
    bar(3, 3)  # done already: nothing left to show
    assert made == []


def test_the_engine_reports_per_file_progress(monkeypatch):
    monkeypatch.chdir(FIXTURE)
    calls: list[tuple[int, int]] = []
    settings = Settings(root=FIXTURE, cache=False)
    run([Path(".")], settings, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
