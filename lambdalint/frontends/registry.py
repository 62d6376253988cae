"""Which frontend reads which file.

Each frontend declares the files it claims by name (suffixes, names it leaves to others), whether
it assembles several files into one model, and the function that analyses a file. Discovery asks
`frontend_for(path)`; a file no frontend claims is never read, and is not counted as checked.
Where a name is ambiguous (`*.yml`, `*.json`), the analyser sniffs the text cheaply first and
passes over a file that is not its kind (`Analysis.passed_over`), which is not counted either.

A frontend that assembles several files into one model (a Terraform module is a directory)
says so with `assembles=True`: its analyser is then called once per unit (the files it claims in
one directory) as function(sources, texts, parse) -> one Analysis per source, a text being None
for a file that could not be read (already reported); and a file named on the command line
brings the rest of its unit along as context.

Registering a frontend is one `Frontend(...)` line in `FRONTENDS`; its module is imported only
when a file of its kind is analysed.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding


@dataclass
class Analysis:
    """What a frontend made of one file."""

    model: object | None = None  # ModuleFacts for Python, a Template for IaC files
    findings: list[Finding] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    passed_over: str = ""  # why a claimed file is not one this frontend reads after all
    outline: object | None = None  # a Python file's pre-pass outline, when only that was asked


@dataclass(frozen=True)
class Frontend:
    kind: str  # the `SourceFile.kind` of the files it claims
    label: str  # what it reads, for messages: "Python", "CloudFormation/SAM templates"
    suffixes: frozenset[str]
    analyser: str  # "module:function": function(source, text, parse) -> Analysis (see above)
    leaves: frozenset[str] = frozenset()  # file names it does not claim despite the suffix
    names: frozenset[str] = frozenset()  # file names it claims whatever their suffix
    # "module:function" telling from a file's first bytes (as Latin-1) whether it is this kind:
    # a file that cannot be read or decoded is reported only then. None: always reported.
    unreadable_sniff: str | None = None
    # Several files of one directory make one model (a Terraform module).
    assembles: bool = False

    def claims(self, path: Path) -> bool:
        return self.claims_name(path.name)

    def claims_name(self, name: str) -> bool:
        name = name.lower()
        if name in self.names:
            return True
        # `endswith`, not `Path.suffix`: Terraform's JSON files are `*.tf.json`.
        return name.endswith(tuple(self.suffixes)) and name not in self.leaves

    def unit_of(self, path: Path) -> Path:
        """The unit a file belongs to, for a frontend that assembles: its directory."""
        return path.parent

    def analyse(self) -> Callable[..., Analysis | list[Analysis]]:
        return _load(self.analyser)

    def worth_reporting_unreadable(self, head: str) -> bool:
        return self.unreadable_sniff is None or bool(_load(self.unreadable_sniff)(head))


def _load(name: str) -> Callable:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


# The Serverless Framework's own files: its YAML is not a CloudFormation template even though
# its `resources:` section holds CloudFormation.
SERVERLESS_FILES = frozenset({"serverless.yml", "serverless.yaml", "serverless.json"})

FRONTENDS: tuple[Frontend, ...] = (
    Frontend("python", "Python", frozenset({".py"}), "lambdalint.frontends.python.analyse:analyse"),
    Frontend(
        "terraform",
        "Terraform modules",
        frozenset({".tf", ".tf.json"}),
        "lambdalint.frontends.terraform:analyse",
        assembles=True,
    ),
    Frontend(
        "serverless",
        "Serverless Framework services",
        frozenset(),
        "lambdalint.frontends.serverless:analyse",
        names=SERVERLESS_FILES,
    ),
    Frontend(
        "template",
        "CloudFormation/SAM templates",
        frozenset({".yaml", ".yml", ".json", ".template"}),
        "lambdalint.frontends.cloudformation:analyse_template_file",
        leaves=SERVERLESS_FILES,
        unreadable_sniff="lambdalint.frontends.cloudformation:looks_like_template",
    ),
)


def frontend_for(path: Path) -> Frontend | None:
    """The frontend that claims a file by its name, or None when none reads it."""
    return frontend_for_name(path.name)


@functools.lru_cache(maxsize=4096)  # a tree repeats its file names: app.py, template.yaml
def frontend_for_name(name: str) -> Frontend | None:
    return next((frontend for frontend in FRONTENDS if frontend.claims_name(name)), None)


def frontend_of_kind(kind: str) -> Frontend:
    return next(frontend for frontend in FRONTENDS if frontend.kind == kind)


def why_unclaimed(path: Path) -> str:
    """Why no frontend reads a file, as a user would want it said."""
    labels = ", ".join(frontend.label for frontend in FRONTENDS)
    return f"no frontend reads this kind of file (lambdalint reads {labels})"
