"""The Terraform frontend: a module (the `*.tf` files of one directory) in, a `Template` model out.

The engine hands a module's files over together; the model goes with the first file, and every
file keeps its own syntax errors (LL001) and suppression comments. Variables take their
defaults, overridden by `terraform.tfvars` and `*.auto.tfvars` of the module's directory."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from lambdalint.core.directive import Directive, parse_comment
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.frontends.registry import Analysis
from lambdalint.model import Template
from lambdalint.sources import parse_error

if TYPE_CHECKING:
    from lambdalint.frontends.terraform.hcl import Block
    from lambdalint.sources import SourceFile

TFVARS = "terraform.tfvars"
AUTO_TFVARS = ".auto.tfvars"
TFVARS_MAX_SIZE = 2 * 1024 * 1024  # variable files are read here, not by the engine


def is_tfvars(name: str) -> bool:
    return name == TFVARS or name.endswith(AUTO_TFVARS)


def analyse(
    sources: list[SourceFile], texts: list[str | None], parse: bool = True
) -> list[Analysis]:
    """One module's files (None for a file that could not be read): an Analysis for each, the
    model on the first readable one."""
    analyses = [
        Analysis(directives=_directives(source, text))
        for source, text in zip(sources, texts, strict=True)
    ]
    files = {s.display: t for s, t in zip(sources, texts, strict=True) if t is not None}
    if not files:
        return analyses
    template, findings = load_module(files, read_tfvars(sources[0]))
    by_path = {source.display: analysis for source, analysis in zip(sources, analyses, strict=True)}
    first = by_path[next(iter(files))]
    first.model = template
    for finding in findings:
        by_path.get(finding.path, first).findings.append(finding)
    return analyses


def _directives(source: SourceFile, text: str | None) -> list[Directive]:
    """HCL has `#` and `//` comments; JSON syntax has none."""
    if text is None or source.display.endswith(".json"):
        return []
    return hcl_directives(text, source.display)


def read_tfvars(source: SourceFile) -> dict[str, str]:
    """`terraform.tfvars` and `*.auto.tfvars` beside the module's files, by display path."""
    directory = posixpath.dirname(source.display)
    found: dict[str, str] = {}
    try:
        names = sorted(p.name for p in source.path.parent.iterdir() if is_tfvars(p.name))
    except OSError:
        return found
    for name in names:
        text = _read(source.path.parent / name, TFVARS_MAX_SIZE)
        if text is not None:
            found[posixpath.join(directory, name)] = text
    return found


def _read(path: Path, max_size: int) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > max_size:
            return None
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def load_module(
    files: dict[str, str], tfvars: dict[str, str]
) -> tuple[Template | None, list[Finding]]:
    """The model of one module (display path -> text of each `.tf`), and LL001 findings for
    files that do not parse. The first file's path names the template."""
    parsed, findings = parse_files(files)
    values, _ = parse_files(tfvars)  # Terraform reads tfvars at plan time: not the module's fault
    if not parsed:
        return None, findings
    first = next(iter(files))
    from lambdalint.frontends.terraform.build import TerraformBuilder

    try:
        return TerraformBuilder(first, parsed, values).build(), findings
    except Exception as exc:  # noqa: BLE001 - one odd module must not stop the run
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        message = f"the Terraform frontend failed on this module: {reason}"
        return None, [*findings, Finding("LL000", Severity.ERROR, message, Span.point(first, 1))]


def parse_files(files: dict[str, str]) -> tuple[list[Block], list[Finding]]:
    """Each file's blocks; an LL001 at its line for each file that does not parse."""
    from lambdalint.frontends.terraform.hcl import HclError, parse_hcl, parse_tf_json

    parsed, findings = [], []
    for path, text in files.items():
        parse = parse_tf_json if path.endswith(".json") else parse_hcl
        try:
            parsed.append(parse(text, path))
        except HclError as exc:
            findings.append(parse_error(path, exc.message, exc.line, exc.column))
    return parsed, findings


def hcl_directives(text: str, path: str) -> list[Directive]:
    """`# lambdalint: ...` and `// lambdalint: ...` comments (HCL has both)."""
    directives = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "lambdalint" not in line:
            continue
        for marker in ("#", "//"):
            position = line.find(marker)
            directive = None
            while position != -1 and directive is None:
                directive = parse_comment(
                    line[position:], path, number, position + 1, not line[:position].strip()
                )
                position = line.find(marker, position + 1)
            if directive is not None:
                directives.append(directive)
                break
    return directives


__all__ = ["analyse", "hcl_directives", "load_module"]
