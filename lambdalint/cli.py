"""The command line: flags and exit codes only; the work happens in the engine."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from lambdalint import __version__
from lambdalint.report import FORMATS, HUMAN
from lambdalint.report.summary import plural

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _check_selectors(option: str, selectors: list[str]) -> None:
    from lambdalint.core.rule import expand_selector

    for selector in selectors:
        if not expand_selector(selector):
            raise click.UsageError(f"{option}: unknown rule {selector!r}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="lambdalint")
def main() -> None:
    """lambdalint: find the Lambda mistakes that cost money, lose messages or open holes."""
    # A run builds millions of small objects that live until it ends (syntax trees, template
    # nodes, facts); with the default thresholds the collector re-scans all of them again and
    # again, which makes a large template or module cost more than linear time. A short-lived
    # process collects rarely instead.
    gc.set_threshold(50_000, 50, 50)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    multiple=True,
    help="Rules to run (ids, names or prefixes; replaces the default set).",
)
@click.option("--extend-select", multiple=True, help="Rules to run on top of the selected ones.")
@click.option("--ignore", multiple=True, help="Rules not to run.")
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How findings are printed (--format is the older name).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the findings to this file instead of standard output.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print the findings and nothing else.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="The lowest severity that makes the exit code 1.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option(
    "--config", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file to use."
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Count findings (and fixable ones) per rule instead of listing them.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Evaluate date-dependent rules (runtime deprecation) at this date, for reproducible CI.",
)
@click.option(
    "--fix", "apply_fixes", is_flag=True, help="Apply safe fixes, then report what remains."
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply (with --fix or --diff) fixes that may change behaviour.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a diff of what --fix would change and write nothing (exit 1 when there is one).",
)
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="With --fix, exit 1 when something was fixed, even if no finding remains.",
)
@click.option(
    "--show-fixes",
    is_flag=True,
    help="Compute the available fixes and include them in the output without applying them.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write .lambdalint_cache.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for per-file work (default: the configuration's, else one per core).",
)
@click.option(
    "--no-project-context",
    is_flag=True,
    help="With named files, read only those (handler paths through other files are then unknown).",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the text of this file from standard input and report it under this path; the "
    "rest of its project is read from disk as context. With --fix, the fixed text is printed.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Report only findings this baseline (`lambdalint baseline FILE`) does not hold.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Tracebacks for internal errors, timings, skipped files."
)
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    quiet: bool,
    fail_on: str,
    exit_zero: bool,
    config: Path | None,
    isolated: bool,
    color: str,
    statistics: bool,
    as_of,
    apply_fixes: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    exit_non_zero_on_fix: bool,
    show_fixes: bool,
    no_cache: bool,
    jobs: int | None,
    no_project_context: bool,
    stdin_filename: Path | None,
    baseline: Path | None,
    verbose: bool,
) -> None:
    """Check files and directories (default: the current directory)."""
    from lambdalint.core.finding import PATH_NOT_FOUND, PassedOver
    from lambdalint.engine.run import run

    overlay = None
    if stdin_filename is not None:
        if paths:
            raise click.UsageError("give either paths or --stdin-filename, not both")
        overlay = {stdin_filename: click.get_text_stream("stdin").read()}
    targets = list(paths) or ([stdin_filename] if stdin_filename else [Path(".")])
    settings = _settings(
        targets, config, isolated, select, extend_select, ignore, as_of, no_cache,
        no_project_context,
    )  # fmt: skip
    if jobs is not None:
        settings.jobs = jobs
    accepted = _read_baseline(baseline) if baseline is not None else None

    # SARIF carries fixes and statistics count them: both need the fixes computed. Only
    # --show-fixes renders each fix's diff for the output.
    diffs = show_fixes
    show_fixes = show_fixes or statistics or output_format == "sarif"
    fixes = _fix_request(apply_fixes, unsafe_fixes, show_diff, show_fixes, diffs)
    try:
        bar = _progress_bar(output_format in HUMAN and not statistics, quiet)
        try:
            result = run(
                targets,
                settings,
                verbose=verbose,
                fixes=fixes or _marks(output_format),
                overlay=overlay,
                baseline=accepted,
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.close()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a clear message, exit 2
        if verbose:
            raise
        click.echo(f"lambdalint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)

    for path in result.missing_paths:
        click.echo(f"lambdalint: error: {path}: {PATH_NOT_FOUND}", err=True)
    if result.unmatched_baseline and not quiet:
        click.echo(
            f"lambdalint: {result.unmatched_baseline} baseline entries match no finding any more "
            f"(fixed): `lambdalint baseline {baseline}` removes them",
            err=True,
        )
    for skipped in result.skipped:
        if isinstance(skipped, PassedOver):
            if verbose or skipped.explicit:
                click.echo(f"lambdalint: passed over {skipped.path}: {skipped.reason}", err=True)
        elif verbose and skipped.reason != PATH_NOT_FOUND:
            click.echo(f"lambdalint: skipped {skipped.path}: {skipped.reason}", err=True)
    if fixes is not None:
        if fixes.mode == "apply" and stdin_filename is not None:
            # As ruff does: the fixed text on stdout, what remains on stderr.
            _report_fixes(result, fixes.mode, quiet)
            click.echo(next(iter(result.texts.values()), overlay[stdin_filename]), nl=False)
            from lambdalint.report import reporter

            click.echo(reporter("concise")(result, False), nl=False, err=True)
            sys.exit(_exit_code(result, fail_on, exit_zero))
        if fixes.mode == "diff":
            # As ruff: the diff, then what it would fix (stdout and stderr meet on a terminal).
            click.echo(result.diff, nl=False)
            _report_fixes(result, fixes.mode, quiet)
            if result.missing_paths:
                sys.exit(EXIT_ERROR)
            sys.exit(EXIT_FINDINGS if result.diff and not exit_zero else EXIT_OK)
        _report_fixes(result, fixes.mode, quiet)
    use_color = output_file is None and _use_color(color)
    _emit(_render(result, output_format, statistics, quiet, use_color), output_file, use_color)
    if verbose:
        for note in result.notes:
            click.echo(f"lambdalint: not judged: {note}", err=True)
        timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
        click.echo(f"lambdalint: {result.files_checked} files; {timings}", err=True)

    code = _exit_code(result, fail_on, exit_zero)
    if exit_non_zero_on_fix and fixes is not None and fixes.mode == "apply" and result.fixed:
        code = code or EXIT_FINDINGS
    sys.exit(code)


def _exit_code(result, fail_on: str, exit_zero: bool) -> int:
    from lambdalint.core.finding import Severity

    # A path that does not exist is a command-line error: it wins over findings and --exit-zero.
    if result.missing_paths:
        return EXIT_ERROR
    if exit_zero:
        return EXIT_OK
    if any(f.rule == "LL000" for f in result.findings):
        return EXIT_ERROR
    if any(f.severity >= Severity.parse(fail_on) for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _settings(
    targets: list[Path],
    config: Path | None,
    isolated: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    as_of,
    no_cache: bool,
    no_project_context: bool,
):
    """The configuration, with the command line's choices on top (a bad one exits 2)."""
    from lambdalint.config import ConfigError, load_settings

    if config is not None and not config.is_file():
        raise click.UsageError(f"--config: no such file: {config}")
    try:
        settings = load_settings(targets, config, isolated)
    except ConfigError as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    for option, values in (
        ("--select", select),
        ("--extend-select", extend_select),
        ("--ignore", ignore),
    ):
        _check_selectors(option, _split(values))
    settings.cache = not no_cache
    settings.project_context = not no_project_context
    if as_of is not None:
        settings.as_of = as_of.date()
    if select:
        # As in ruff: a command-line selection replaces the configuration's, extensions included.
        settings.select = _split(select)
        settings.extend_select = []
    settings.extend_select += _split(extend_select)
    settings.ignore += _split(ignore)
    return settings


def _read_baseline(path: Path):
    from lambdalint.engine.baseline import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as exc:
        click.echo(f"lambdalint: error: --baseline: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _progress_bar(human_format: bool, quiet: bool):
    """A bar on stderr for long runs on a terminal; None where it must not show."""
    from lambdalint.report.progress import ProgressBar, wanted

    stream = sys.stderr
    return ProgressBar(stream) if wanted(human_format, quiet, stream, os.environ) else None


def _fix_request(apply_fixes: bool, unsafe: bool, diff: bool, show: bool, diffs: bool = False):
    """What the fix flags ask for: `--diff` wins over `--fix` (it never writes); `diffs`
    (--show-fixes) also renders each fix's diff for the output."""
    if not (apply_fixes or unsafe or diff or show):
        return None
    from lambdalint.engine.fix_request import FixRequest

    mode = "diff" if diff else "apply" if apply_fixes else "show"
    return FixRequest(mode, unsafe, diffs=diffs)


def _marks(output_format: str):
    """Text and concise output mark fixable findings (`[*]`) as ruff does, so fixes are
    computed, never applied; only files with a finding a rule can fix pay for it."""
    from lambdalint.report import HUMAN

    if output_format not in HUMAN:
        return None
    from lambdalint.engine.fix_request import FixRequest

    return FixRequest("show")


def _report_fixes(result, mode: str, quiet: bool = False) -> None:
    """What fixing did, on stderr (stdout carries the findings or the diff); nothing with -q."""
    if quiet:
        return
    from lambdalint.report.summary import plural

    for line in result.dropped:
        click.echo(f"lambdalint: {line}", err=True)
    for skipped in result.not_written:
        click.echo(f"lambdalint: {skipped.path}: {skipped.reason}", err=True)
    files = plural(len(result.files_fixed), "file")
    if mode == "diff" and result.fixed:
        click.echo(f"Would fix {plural(result.fixed, 'finding')} in {files}.", err=True)
    elif mode == "apply" and result.fixed:
        click.echo(f"Fixed {plural(result.fixed, 'finding')} in {files}.", err=True)


def _use_color(choice: str) -> bool:
    """`--color always/never` wins; on `auto`, NO_COLOR then FORCE_COLOR (set and not empty, as
    no-color.org and force-color.org say), then whether stdout is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _render(result, output_format: str, statistics: bool, quiet: bool, color: bool) -> str:
    from lambdalint.report import HUMAN, reporter

    if statistics:
        from lambdalint.report import statistics as table

        return table.render_json(result) if output_format == "json" else table.render_text(result)
    if output_format in HUMAN:
        return reporter(output_format)(result, color, quiet=quiet)
    return reporter(output_format)(result, False)


def _emit(output: str, output_file: Path | None, color: bool) -> None:
    if output_file is None:
        click.echo(output, nl=False, color=color)
        return
    try:
        output_file.write_text(output, encoding="utf-8")
    except OSError as exc:
        click.echo(f"lambdalint: cannot write {output_file}: {exc.strerror}", err=True)
        sys.exit(EXIT_ERROR)


@main.command()
@click.argument("function", required=False)
@click.option(
    "--path",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Files and directories holding the templates and code (default: the current directory).",
)
@click.option(
    "--as",
    "style",
    type=click.Choice(["json", "sam", "terraform", "cdk-python"]),
    default="json",
    show_default=True,
    help="IAM JSON, SAM Policies, a Terraform aws_iam_policy_document or CDK Python.",
)
@click.option("--config", type=click.Path(path_type=Path), help="Use this configuration file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def policy(function: str | None, paths: tuple[Path, ...], style: str, config, isolated) -> None:
    """Print the least-privilege policy FUNCTION's code needs (default: every function whose
    handler code is found), resources resolved where the template wires them."""
    from lambdalint.config import ConfigError, load_settings
    from lambdalint.engine.run import linked_functions
    from lambdalint.least_privilege.command import policies

    targets = list(paths) or [Path(".")]
    missing = [path for path in targets if not path.exists()]
    if missing:
        raise click.UsageError(f"--path: no such file or directory: {missing[0]}")
    try:
        settings = load_settings(targets, config, isolated)
    except ConfigError as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    output = policies(linked_functions(targets, settings), function, style)
    if output.error:
        click.echo(f"lambdalint: error: {output.error}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(output.text)
    for note in output.notes:
        click.echo(f"lambdalint: note: {note}", err=True)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--select", multiple=True, help="As for `check`.")
@click.option("--extend-select", multiple=True, help="As for `check`.")
@click.option("--ignore", multiple=True, help="As for `check`.")
@click.option(
    "--config", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file to use."
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="As for `check`.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .lambdalint_cache.")
def baseline(
    file: Path,
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config: Path | None,
    isolated: bool,
    as_of,
    no_cache: bool,
) -> None:
    """Record today's findings in FILE; `check --baseline FILE` then reports only new ones.

    Run it with the same selection as the checks it serves (the configuration file is read as
    usual). Writing it again drops the entries of findings fixed since."""
    from lambdalint.engine.baseline import write_baseline
    from lambdalint.engine.run import run

    targets = list(paths) or [Path(".")]
    settings = _settings(
        targets, config, isolated, select, extend_select, ignore, as_of, no_cache, False
    )
    result = run(targets, settings)
    missing = [s for s in result.skipped if s.reason == "no such file or directory"]
    for skipped in missing:
        click.echo(f"lambdalint: skipped {skipped.path}: {skipped.reason}", err=True)
    if missing:
        sys.exit(EXIT_ERROR)
    unstable = sum(1 for finding in result.findings if not finding.fingerprint)
    try:
        recorded = write_baseline(file, result.findings)
    except OSError as exc:
        click.echo(f"lambdalint: cannot write {file}: {exc.strerror}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"Recorded {plural(recorded, 'finding')} in {file}.", err=True)
    if unstable:
        click.echo(
            f"lambdalint: {plural(unstable, 'finding')} without a fingerprint cannot be "
            "recorded and will still be reported",
            err=True,
        )


@main.command()
def server() -> None:
    """Run the language server (LSP over stdin/stdout) for editors."""
    from lambdalint.lsp import serve

    serve()


@main.command("lsp", hidden=True)
def lsp() -> None:
    """Another name of `server`."""
    from lambdalint.lsp import serve

    serve()


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--all", "show_all", is_flag=True, help="Also list the rules that are off by default."
)
def rules(output_format: str, show_all: bool) -> None:
    """List the rules a default run checks (id, name, severity, default, summary); --all lists
    every rule, including those off by default."""
    from lambdalint.core.rule import all_rules

    classes = [cls for cls in all_rules().values() if show_all or cls.meta.default]
    metas = [cls.meta for cls in classes]
    if output_format == "json":
        import json

        click.echo(
            json.dumps(
                [
                    {
                        "id": cls.meta.id,
                        "name": cls.meta.name,
                        "severity": str(cls.meta.severity),
                        "default": cls.meta.default,
                        "scope": cls.scope,
                        "fix": cls.meta.fix,
                        "anchors": list(cls.meta.anchors),
                        "summary": cls.meta.summary,
                    }
                    for cls in classes
                ],
                indent=2,
            )
        )
        return
    for meta in metas:
        default = "on" if meta.default else "off"
        click.echo(
            f"{meta.id}  {meta.name:<28} {str(meta.severity):<8} {default:<4} {meta.summary}"
        )


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show a rule's page (by id or name)."""
    from lambdalint.core.rule import all_rules, resolve_code
    from lambdalint.docs import render_page

    rule_id = resolve_code(rule)
    if rule_id is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `lambdalint rules`)")
    page = render_page(all_rules()[rule_id])
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(page))
    else:
        click.echo(page)
