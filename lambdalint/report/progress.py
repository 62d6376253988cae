"""The progress bar a long run shows on a terminal (on stderr, gone when the run ends). Never in
CI logs, pipes or files, and never with a machine format or --quiet."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

DELAY_SECONDS = 1.0  # runs shorter than this never show a bar: it would only flicker

# Set by the CI services whose logs are not terminals even when they pretend to be.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")


def wanted(human_format: bool, quiet: bool, stream: TextIO, environ: Mapping[str, str]) -> bool:
    if not human_format or quiet or any(environ.get(name) for name in CI_VARIABLES):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class ProgressBar:
    """Called as `bar(done, total)`; draws nothing until the run has lasted DELAY_SECONDS."""

    def __init__(
        self,
        stream: TextIO,
        clock: Callable[[], float] = time.monotonic,
        make: Callable[[TextIO], Any] | None = None,
    ) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.make = make or _rich_progress
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < DELAY_SECONDS or done >= total:
                return
            self.bar = self.make(self.stream)
            self.bar.start()
            self.task = self.bar.add_task("Checking", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _rich_progress(stream: TextIO) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        console=Console(file=stream),
        transient=True,
    )
