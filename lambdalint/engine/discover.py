"""Which files a run looks at, and which it leaves alone (with why)."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path

from lambdalint.config import Settings, path_matches
from lambdalint.core.files import read_regular
from lambdalint.core.finding import PATH_NOT_FOUND, PassedOver, Skipped
from lambdalint.frontends.registry import (
    SERVERLESS_FILES,
    frontend_for_name,
    frontend_of_kind,
    why_unclaimed,
)
from lambdalint.sources import Overlay, SourceFile, display_path

DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        ".aws-sam",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".lambdalint_cache",
    }
)
# Top-level packages of libraries that projects copy into layers and deployment packages, often
# with their *.dist-info stripped. A directory of this name holding `__init__.py` is such a copy:
# a project's own package is practically never called `urllib3` or `dateutil`.
VENDORED_PACKAGES = frozenset(
    """
    aiobotocore aiohttp annotated_types anyio attr attrs aws_lambda_powertools aws_xray_sdk
    boto3 botocore bs4 cachetools certifi cffi chardet charset_normalizer click cryptography
    dateutil dns docutils fastjsonschema google h11 httpcore httpx idna jinja2 jmespath jose
    jsonschema jwt langchain langchain_core markupsafe multidict nacl numpy opensearchpy orjson
    packaging pandas pg8000 pika pip pkg_resources psycopg2 pyasn1 pydantic pydantic_core
    pymysql pytz redis requests requests_aws4auth rsa s3transfer setuptools simplejson sniffio
    sqlalchemy tenacity typing_inspection urllib3 wrapt yaml yarl
    """.split()  # noqa: SIM905 - a word list reads better than 67 quoted strings
)


def kind_of(path: Path) -> str | None:
    """The kind of the frontend that claims a file by its name, None when none does."""
    return kind_of_name(path.name)


def kind_of_name(name: str) -> str | None:
    frontend = frontend_for_name(name)
    return frontend.kind if frontend is not None else None


def is_packaged_service(name: str, siblings: list[str]) -> str | None:
    """Why a directory is the Serverless Framework's packaged output of a service checked from
    its serverless.yml, or None. `sls package` writes the CloudFormation it generates to
    `.serverless/` next to serverless.yml: checking both reports every finding twice, and the
    user edits serverless.yml, not what the framework generated from it."""
    if name != ".serverless":
        return None
    source = next((sibling for sibling in sorted(siblings) if sibling in SERVERLESS_FILES), None)
    if source is None:
        return None
    return f"packaged output of {source}, which is checked instead"


def is_vendored_dir(directory: Path, names: list[str]) -> str | None:
    """Why a directory is a copy of third-party packages, or None when it is the project's own."""
    if directory.name == "site-packages":
        return "a site-packages tree"
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            return f"a vendored package tree (holds {name})"
    if directory.name in VENDORED_PACKAGES and "__init__.py" in names:
        return f"a vendored copy of {directory.name}"
    return None


class _IgnoreFiles:
    """The .gitignore files that apply in each directory: its ancestors' and its own.

    Each directory keeps the list of (base, spec) pairs in force there, so a path is matched only
    against the files on its own chain, not every .gitignore of the tree."""

    def __init__(self) -> None:
        self.in_force: dict[Path, list[tuple[Path, object]]] = {}

    def enter(self, directory: Path, parent: Path | None) -> None:
        inherited = self.in_force.get(parent, []) if parent is not None else []
        spec = self._load(directory)
        self.in_force[directory] = inherited + [(directory, spec)] if spec else inherited

    @staticmethod
    def _load(directory: Path):
        try:
            data = read_regular(directory / ".gitignore", 1 << 20, head=True)
        except OSError:
            return None  # none, unreadable, in an unsearchable directory, or not a file
        text = data.decode("utf-8", errors="replace")
        return _compile_ignore(text)

    def ignored(self, directory: Path, name: str, is_dir: bool) -> bool:
        specs = self.in_force.get(directory)
        if not specs:
            return False
        here = directory.as_posix()
        for base, spec in specs:
            prefix = here[len(base.as_posix()) + 1 :]
            relative = f"{prefix}/{name}" if prefix else name
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False


class _Alternation:
    """All patterns of one .gitignore as a single regular expression: matching one regex per
    path instead of one per pattern makes discovery of a sample collection with hundreds of
    .gitignore files several times faster. Only valid without negations (order then matters)."""

    def __init__(self, regex: re.Pattern):
        self.regex = regex

    def match_file(self, relative: str) -> bool:
        return self.regex.match(relative) is not None


@functools.lru_cache(maxsize=256)
def _compile_ignore(text: str):
    """Compiled once per distinct content: sample collections repeat the same .gitignore.

    Lines git rejects (`!` alone, a lone backslash) are skipped as git skips them."""
    import pathspec

    lines = [line for line in text.splitlines() if _valid_ignore_line(line)]
    try:
        from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

        regexes = []
        for line in lines:
            regex, include = GitIgnoreSpecPattern.pattern_to_regex(line)
            if include is None:
                continue
            if not include:
                raise ValueError("negation: order matters, let pathspec decide")
            regexes.append(_linear(line, len(regexes)) or regex.replace("(?P<ps_d>", "(?:"))
        if not regexes:
            return None
        return _Alternation(re.compile("|".join(f"(?:{r})" for r in regexes)))
    except (ImportError, ValueError, re.error):
        return pathspec.GitIgnoreSpec.from_lines(lines)


def _valid_ignore_line(line: str) -> bool:
    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    try:
        GitIgnoreSpecPattern.pattern_to_regex(line)
    except Exception:  # noqa: BLE001 - pathspec's GitIgnorePatternError and kin: git skips it
        return False
    return True


_PLAIN_NAME_GLOB = re.compile(r"[^/\\\[\]!#\s]*\*[^/\\\[\]\s]*/?")


def _linear(line: str, pattern: int) -> str | None:
    """A regex that matches in linear time for a name glob with stars (`*a*a*a*b`), or None.

    A plain translation backtracks catastrophically on such globs (`*a*a*a*a*a*a*a*a*b`
    against a 60-character name takes a minute). Each star before the last is matched
    atomically, as `fnmatch` does it: taking the leftmost match of the text after a star is
    always right for a glob, so nothing needs to be tried again. `pattern` keeps the group
    names apart when patterns are joined into one regex."""
    if _PLAIN_NAME_GLOB.fullmatch(line) is None or "**" in line:
        return None
    directory_only = line.endswith("/")
    chunks = line.rstrip("/").split("*")
    body = _chunk(chunks[0])
    for number, chunk in enumerate(chunks[1:-1]):
        name = f"ll{pattern}_{number}"
        body += f"(?=(?P<{name}>[^/]*?{_chunk(chunk)}))(?P={name})"
    body += "[^/]*" + _chunk(chunks[-1])
    return rf"^(?:.+/)?{body}" + ("/.*$" if directory_only else "(?:/.*)?$")


def _chunk(text: str) -> str:
    return "".join("[^/]" if char == "?" else re.escape(char) for char in text)


def discover(
    paths: list[Path], settings: Settings, overlay: Overlay | None = None
) -> tuple[list[SourceFile], list[Skipped]]:
    """The files a run reads under `paths`, and what it leaves alone. A path held in `overlay`
    (absolute) is a file whether or not it exists on disk, and carries its text from there."""
    overlay = overlay or {}
    files: dict[Path, SourceFile] = {}
    skipped: list[Skipped] = []
    for given in paths:
        absolute = Path(os.path.realpath(given))  # a link loop is no error here
        if not absolute.exists() and os.path.lexists(given) and kind_of(given.absolute()):
            # A dangling link or a link loop, named as pre-commit names files: LL001 for it.
            _add_named(given.absolute(), settings, files, skipped)
        elif absolute in overlay or absolute.is_file():
            _add_named(absolute, settings, files, skipped)
        elif not absolute.exists():
            skipped.append(Skipped(display_path(absolute), PATH_NOT_FOUND))
        else:
            for source in _walk(absolute, settings, skipped):
                files.setdefault(source.path, source)
    found = (replace(f, text=overlay[f.path]) if f.path in overlay else f for f in files.values())
    return sorted(found, key=lambda f: f.display), skipped


def with_units(
    sources: list[SourceFile], settings: Settings, overlay: Overlay | None = None
) -> list[SourceFile]:
    """Named files of an assembling frontend bring the rest of their unit (a Terraform module's
    other files) along as context: without them their model is incomplete."""
    overlay = overlay or {}
    known = {source.path for source in sources}
    added = []
    for source in sources:
        frontend = frontend_of_kind(source.kind)
        if not (source.explicit and frontend.assembles):
            continue
        unit = frontend.unit_of(source.path)
        try:
            on_disk = {unit / name for name in os.listdir(unit)}
        except OSError:
            on_disk = set()
        for path in sorted(on_disk | {path for path in overlay if path.parent == unit}):
            if path in known or kind_of(path) != source.kind or _excluded(path, settings):
                continue
            if path in overlay or path.is_file():
                known.add(path)
                display = display_path(path)
                added.append(
                    SourceFile(
                        path, display, source.kind, source.scan_root, False, overlay.get(path)
                    )
                )
    return sorted([*sources, *added], key=lambda source: source.display)


def _add_named(
    path: Path, settings: Settings, files: dict[Path, SourceFile], skipped: list[Skipped]
) -> None:
    kind = kind_of(path)
    if kind is None:
        skipped.append(PassedOver(display_path(path), why_unclaimed(path), True))
    elif _excluded(path, settings):
        # Said only with --verbose: pre-commit names every changed file, excluded ones too.
        skipped.append(PassedOver(display_path(path), "excluded by the configuration"))
    elif path not in files:
        # Imports are looked up as far up as the project root, not just the file's folder.
        root = settings.root if settings.root in path.parents else path.parent
        files[path] = SourceFile(path, display_path(path), kind, root, True)


def _excluded(path: Path, settings: Settings) -> bool:
    try:
        relative = path.relative_to(settings.root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(path_matches(relative, pattern) for pattern in settings.exclude)


def _walk(top: Path, settings: Settings, skipped: list[Skipped]):
    """The claimed files under `top`: as git lists them in a git checkout (git has already
    applied every .gitignore), else by walking the directories and reading .gitignore files."""
    listing = git_listing(top)
    if listing is not None:
        return _select(top, settings, skipped, _walk_listing(top, listing), None)
    return _select(top, settings, skipped, *_walk_disk(top, skipped))


def _walk_disk(top: Path, skipped: list[Skipped]):
    ignores = _IgnoreFiles()
    # .gitignore files above the scanned directory apply too, up to the repository root.
    parent = None
    for ancestor in reversed(top.parents):
        if _inside_repo(ancestor, top):
            ignores.enter(ancestor, parent)
            parent = ancestor
    ignores.enter(top, parent)

    def onerror(error: OSError) -> None:
        where = display_path(Path(error.filename or top))
        skipped.append(Skipped(where, f"unreadable: {error.strerror}"))

    return os.walk(top, onerror=onerror), ignores


def _select(top: Path, settings: Settings, skipped: list[Skipped], walk, ignores):
    """The same exclusions over either listing: default and configured exclusions, vendored
    trees, symbolic links to directories, and (when walking the disk) .gitignore files."""
    names = _Names(top, settings)
    for directory, dirnames, filenames in walk:
        here = Path(directory)
        if here != top and ignores is not None:
            ignores.enter(here, here.parent)
        # Sorted, so the reason names the same package whatever order the directory lists.
        reason = is_vendored_dir(here, sorted(dirnames + filenames)) if here != top else None
        if reason:
            skipped.append(Skipped(display_path(here), reason))
            dirnames[:] = []
            continue
        display, excluded = names.of(directory)
        kept = []
        for name in sorted(dirnames):
            if name in DEFAULT_EXCLUDED_DIRS or excluded(name):
                continue
            packaged = is_packaged_service(name, filenames)
            if packaged:
                skipped.append(Skipped(display(name), packaged))
                continue
            if ignores is not None and ignores.ignored(here, name, is_dir=True):
                continue
            if os.path.islink(os.path.join(directory, name)):
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if excluded(name):
                continue
            if ignores is not None and ignores.ignored(here, name, False):
                continue
            kind = kind_of_name(name)
            if kind is None:
                if ignores is None and os.path.isdir(os.path.join(directory, name)):
                    continue  # git lists a link to a directory, or a submodule, as a file
                skipped.append(PassedOver(display(name), why_unclaimed(Path(name))))
                continue
            yield SourceFile(here / name, display(name), kind, top, False)


class _Names:
    """Display paths and configured exclusions for the entries of the walked directories,
    worked out once per directory with string operations: per file, `pathlib` made discovery
    of a 4,000-file tree take a second (a `Path.cwd()` and two `relative_to` each)."""

    def __init__(self, top: Path, settings: Settings):
        self.top = str(top)
        self.settings = settings
        self.top_display = display_path(top)
        self.top_relative = _root_relative(top, settings)
        # The fast way holds only when `top` lies below the working directory (or is it).
        self.below_cwd = not os.path.isabs(self.top_display)

    def of(self, directory: str):
        """(display(name), excluded(name)) for the entries of `directory`."""
        if directory.startswith(self.top + os.sep):
            inner = directory[len(self.top) + 1 :].replace(os.sep, "/")
        elif directory == self.top:
            inner = ""
        else:
            inner = os.path.relpath(directory, self.top).replace(os.sep, "/")
        if self.below_cwd:
            display_base = _joined(self.top_display, inner)

            def display(name: str) -> str:
                return _joined(display_base, name)
        else:

            def display(name: str) -> str:
                return display_path(Path(directory, name))

        patterns = self.settings.exclude
        if not patterns:
            return display, _nothing_excluded
        relative_base = _joined(self.top_relative, inner) if self.top_relative is not None else None

        def excluded(name: str) -> bool:
            if relative_base is None:
                return _excluded(Path(directory, name), self.settings)
            relative = _joined(relative_base, name)
            return any(path_matches(relative, pattern) for pattern in patterns)

        return display, excluded


def _joined(base: str, name: str) -> str:
    if not name:
        return base
    return name if base in ("", ".") else f"{base}/{name}"


def _root_relative(path: Path, settings: Settings) -> str | None:
    """`path` relative to the project root as `_excluded` spells it, None when not below it."""
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return None


def _nothing_excluded(name: str) -> bool:
    return False


def git_listing(top: Path) -> dict[str, tuple[set[str], set[str]]] | None:
    """The directories and files git lists under `top` (tracked and untracked, not ignored, not
    deleted), as directory -> (subdirectories, files) relative to `top`; None outside a git
    checkout or without git, and when git lists nothing (so an ignored directory named on the
    command line is still walked)."""
    repository = next((c for c in [top, *top.parents] if (c / ".git").exists()), None)
    if repository is None or (repository / ".gitmodules").exists():
        return None  # walking enters submodules, which git lists as single entries
    # Tracked files that .gitignore patterns match are left out too, as the walk does.
    listed, ignored = _git_files_together(top, ("-t", "-c", "-o", "-d"), ("-c", "-i"))
    if listed is None or ignored is None:
        return None
    present: set[str] = set()
    for entry in listed:
        tag, path = entry[0], entry[2:]
        if path.endswith("/"):
            return None  # an untracked nested repository: walking enters it
        if tag != "R":
            present.add(path)
    present -= {entry[2:] for entry in listed if entry[0] == "R"}
    present -= set(ignored)
    if not present:
        return None
    tree: dict[str, tuple[set[str], set[str]]] = {"": (set(), set())}
    for path in present:
        parent, _, name = path.rpartition("/")
        tree.setdefault(parent, (set(), set()))[1].add(name)
        while parent:  # register each directory with its parent, up to one already known
            above, _, directory = parent.rpartition("/")
            siblings = tree.setdefault(above, (set(), set()))[0]
            if directory in siblings:
                break
            siblings.add(directory)
            parent = above
    return tree


def _git_files_together(top: Path, *option_sets: tuple[str, ...]) -> list[list[str] | None]:
    """What `git ls-files` lists for each option set, or None where it fails; the git
    processes run at the same time (each walks the tree, mostly waiting on the file system)."""
    started = [_start_git(top, options) for options in option_sets]
    return [_git_output(process) for process in started]


def _start_git(top: Path, options: tuple[str, ...]) -> subprocess.Popen | None:
    # The repository's own configuration is input: `core.fsmonitor` in its .git/config names a
    # command git would run for ls-files. The command line's setting wins over it.
    command = ["git", "-c", "core.fsmonitor=false", "-C", str(top), "ls-files", "-z"]
    command += ["--exclude-standard", *options]
    try:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _git_output(process: subprocess.Popen | None) -> list[str] | None:
    if process is None:
        return None
    try:
        listed, _ = process.communicate(timeout=60)
    except subprocess.SubprocessError:
        process.kill()
        process.communicate()
        return None
    if process.returncode != 0:
        return None
    return [entry for entry in listed.decode("utf-8", "surrogateescape").split("\0") if entry]


def _walk_listing(top: Path, tree: dict[str, tuple[set[str], set[str]]]):
    """`os.walk` over git's listing: top-down, and what the caller removes from the directory
    names is not entered."""
    pending = [""]
    while pending:
        relative = pending.pop()
        directories, files = tree.get(relative, (set(), set()))
        dirnames = sorted(directories)
        yield os.path.join(top, relative) if relative else str(top), dirnames, sorted(files)
        pending += [f"{relative}/{d}" if relative else d for d in reversed(dirnames)]


def _inside_repo(parent: Path, top: Path) -> bool:
    """Whether `parent` lies between `top` and the git repository root holding it."""
    for candidate in [top, *top.parents]:
        if (candidate / ".git").exists():
            return parent == candidate or candidate in parent.parents
    return False
