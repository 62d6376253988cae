"""The language server (`lambdalint server`): the engine's findings as an editor's diagnostics,
code actions and hovers, over LSP on stdio. The only module that imports pygls.

Every lint runs the engine on all open buffers at once, with the rest of each project read from
disk as context (the cache keeps unchanged files' facts warm), so editing a helper refreshes the
open handler that reaches it and editing a template refreshes its functions' code files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter
from pygls.uris import to_fs_path

from lambdalint import __version__
from lambdalint.config import ConfigError
from lambdalint.core.finding import Finding
from lambdalint.core.rule import all_rules
from lambdalint.core.span import LineIndex
from lambdalint.report.lsp_json import diagnostic
from lambdalint.report.sources import SourceTexts

DEBOUNCE_SECONDS = 0.3  # typing pauses shorter than this do not start a lint
CONVERTER = default_converter()
LOG = logging.getLogger("lambdalint.lsp")
ENCODING_LINE = re.compile(r"^[ \t\f]*#.*?coding[:=]")


@dataclass
class Linted:
    """What the last lint found in one file, with the text it analysed."""

    findings: list[Finding]
    text: LineIndex | None
    diagnostics: list[types.Diagnostic] = field(default_factory=list)


# -- linting open buffers (no LSP types below this line until the server) ---------------------


def lintable(path: Path) -> bool:
    from lambdalint.engine.discover import kind_of

    return kind_of(path) is not None


@dataclass
class Lint:
    """One lint of the open buffers: findings by absolute path, the texts analysed, and the
    rules' pages under each project's `help-url-base`."""

    findings: dict[Path, list[Finding]]
    texts: SourceTexts
    help_urls: dict[str, str]


# Per project (configuration file, root): the per-file results of the lints so far, so that an
# edit re-analyses only the edited buffers; results are keyed by content, so a stale one is
# never recalled.
_MEMORIES: dict[tuple, object] = {}


def lint_buffers(buffers: dict[Path, str]) -> Lint:
    """Findings (with every fix, safe and unsafe) for each buffer, linted with its project's
    configuration; files of one configuration are linted in one run, warm across calls."""
    from lambdalint.config import load_settings
    from lambdalint.engine.fix_request import FixRequest
    from lambdalint.engine.run import run
    from lambdalint.engine.session import ResultMemory

    groups: dict[tuple, tuple[object, list[Path]]] = {}
    for path in sorted(buffers):
        settings = load_settings([path], None, False)
        key = (settings.config_path, settings.root)
        groups.setdefault(key, (settings, []))[1].append(path)
    found: dict[Path, list[Finding]] = {path: [] for path in buffers}
    texts: dict[str, str] = {}
    help_urls: dict[str, str] = {}
    for key, (settings, paths) in groups.items():
        memory = _MEMORIES.setdefault(key, ResultMemory())
        result = run(
            paths, settings, fixes=FixRequest("show", unsafe=True), overlay=buffers, memory=memory
        )
        texts.update(result.texts)
        help_urls.update(result.help_urls)
        for finding in result.findings:
            found.setdefault(Path(os.path.abspath(finding.path)), []).append(finding)
    return Lint(found, SourceTexts(texts), help_urls)


def suppress_line_edit(text: LineIndex, line: int, rule: str) -> tuple[int, int, str] | None:
    """Where `# lambdalint: ignore[RULE]` goes on a 1-based line: (line, column, text) to insert,
    or None where a comment cannot go (a continued line)."""
    content = text.line_text(line)
    if content.rstrip().endswith("\\"):
        return None
    existing = re.search(r"lambdalint\s*:\s*ignore\[([^\]]*)\]", content)
    if existing:
        return line, existing.end(1) + 1, f", {rule}"
    return line, len(content.rstrip()) + 1, f"  # lambdalint: ignore[{rule}]"


def suppress_file_edit(text: LineIndex, path: Path, rule: str) -> tuple[int, int, str]:
    """`# lambdalint: file-ignore[RULE]` before the first line that is not a shebang or (in
    Python) an encoding declaration, which must stay first."""
    line = 1
    while line <= 2 and (
        (line == 1 and text.line_text(1).startswith("#!"))
        or (path.suffix == ".py" and ENCODING_LINE.match(text.line_text(line)))
    ):
        line += 1
    return line, 1, f"# lambdalint: file-ignore[{rule}]\n"


# -- the server ---------------------------------------------------------------------------


class LambdalintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lambdalint", __version__)
        self.linted: dict[str, Linted] = {}  # by URI
        self.versions: dict[str, int | None] = {}  # the buffer versions the last lint read
        self.lock = asyncio.Lock()
        self.timer: asyncio.TimerHandle | None = None
        self.told: str | None = None  # the last message shown, not repeated on every keystroke

    def open_buffers(self) -> dict[str, tuple[Path, str]]:
        buffers = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path is not None and lintable(Path(path)):
                buffers[uri] = (Path(os.path.abspath(path)), document.source)
        return buffers

    def schedule(self, delay: float) -> None:
        """Lint after `delay` seconds, replacing a lint already waiting."""
        if self.timer is not None:
            self.timer.cancel()
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(delay, lambda: asyncio.ensure_future(self.refresh()))

    async def refresh(self) -> None:
        """Lint every open buffer and publish each one's diagnostics (empty ones too)."""
        async with self.lock:
            buffers = self.open_buffers()
            versions = {
                uri: self.workspace.text_documents[uri].version
                for uri in buffers
                if uri in self.workspace.text_documents
            }
            try:
                lint = await asyncio.to_thread(
                    lint_buffers, {path: text for path, text in buffers.values()}
                )
            except ConfigError as exc:
                # The user must see this one: until the configuration is fixed nothing is linted.
                self.tell(types.MessageType.Error, f"lambdalint: {exc}")
                return
            except Exception as exc:  # noqa: BLE001 - a failed lint must not stop the server
                LOG.exception("lint failed")
                self.window_log_message(
                    types.LogMessageParams(
                        type=types.MessageType.Error, message=f"lambdalint: {exc}"
                    )
                )
                return
            self.told = None
            for uri, (path, text) in buffers.items():
                if uri not in self.workspace.text_documents:
                    continue  # closed while it was being linted
                findings = lint.findings.get(path, [])
                linted = Linted(findings, LineIndex(text))
                linted.diagnostics = [
                    CONVERTER.structure(diagnostic(f, lint.texts, lint.help_urls), types.Diagnostic)
                    for f in findings
                ]
                self.linted[uri] = linted
                self.versions[uri] = versions.get(uri)
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=uri, diagnostics=linted.diagnostics, version=versions.get(uri)
                    )
                )

    def tell(self, kind: types.MessageType, message: str) -> None:
        if message != self.told:
            self.told = message
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def forget(self, uri: str) -> None:
        self.linted.pop(uri, None)
        self.versions.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    # -- code actions and hovers ----------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = self.linted.get(uri)
        if linted is None or linted.text is None:
            return []
        fixes: list[types.CodeAction] = []
        suppressions: list[types.CodeAction] = []
        seen_rules: set[str] = set()
        for finding, diag in zip(linted.findings, linted.diagnostics, strict=True):
            if not overlaps(diag.range, params.range):
                continue
            if finding.fix is not None:
                action = self.fix_action(uri, finding, diag, linted.text)
                if action is not None:
                    fixes.append(action)
            if finding.rule not in seen_rules:
                seen_rules.add(finding.rule)
                suppressions += self.suppress_actions(uri, finding, diag, linted.text)
        fixes.sort(key=lambda action: not action.is_preferred)  # safe fixes first
        return fixes + suppressions

    def fix_action(
        self, uri: str, finding: Finding, diag: types.Diagnostic, text: LineIndex
    ) -> types.CodeAction | None:
        fix = finding.fix
        edits = []
        for edit in fix.edits:
            if Path(os.path.abspath(edit.path)) != Path(os.path.abspath(finding.path)):
                return None  # fixes that edit other files are left to `lambdalint check --fix`
            edits.append(
                types.TextEdit(range=offsets_range(text, edit.start, edit.end), new_text=edit.text)
            )
        safe = fix.applicability == "safe"
        title = f"{finding.rule}: {fix.message}" + (
            "" if safe else " (unsafe: may change behaviour)"
        )
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diag],
            is_preferred=safe,
            edit=self.workspace_edit(uri, edits),
        )

    def suppress_actions(
        self, uri: str, finding: Finding, diag: types.Diagnostic, text: LineIndex
    ) -> list[types.CodeAction]:
        path = Path(to_fs_path(uri) or finding.path)
        if path.suffix.lower() == ".json":
            return []  # JSON has no comments: the resource's Metadata is the way there
        actions = []
        places = [
            ("on this line", suppress_line_edit(text, finding.span.line, finding.rule)),
            ("for this file", suppress_file_edit(text, path, finding.rule)),
        ]
        for where, place in places:
            if place is None:
                continue
            line, column, insert = place
            line_number, character = text.lsp(line, column)
            start = types.Position(line=line_number, character=character)
            insertion = types.TextEdit(range=types.Range(start=start, end=start), new_text=insert)
            actions.append(
                types.CodeAction(
                    title=f"Suppress {finding.rule} {where}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=self.workspace_edit(uri, [insertion]),
                )
            )
        return actions

    def workspace_edit(self, uri: str, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        """Edits of the text the last lint read: a client whose buffer moved on refuses them."""
        document = types.OptionalVersionedTextDocumentIdentifier(
            uri=uri, version=self.versions.get(uri)
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)]
        )

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        linted = self.linted.get(params.text_document.uri)
        if linted is None:
            return None
        rules = all_rules()
        parts = []
        for diag in linted.diagnostics:
            if contains(diag.range, params.position) and diag.code in rules:
                meta = rules[diag.code].meta
                parts.append(
                    f"**{meta.id} {meta.name}** ({meta.severity})\n\n{meta.summary}\n\n"
                    f"[Rule page]({diag.code_description.href})"
                )
        if not parts:
            return None
        content = types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
        )
        return types.Hover(contents=content)


def offsets_range(text: LineIndex, start: int, end: int) -> types.Range:
    def position(offset: int) -> types.Position:
        line, character = text.lsp(*text.position(offset))
        return types.Position(line=line, character=character)

    return types.Range(start=position(start), end=position(end))


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def overlaps(a: types.Range, b: types.Range) -> bool:
    return not (_before(a.end, b.start) or _before(b.end, a.start))


def contains(span: types.Range, position: types.Position) -> bool:
    return not (_before(position, span.start) or _before(span.end, position))


def build_server() -> LambdalintServer:
    server = LambdalintServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LambdalintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LambdalintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LambdalintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LambdalintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)
        ls.schedule(0)  # what the closed file held may change its neighbours' findings

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: LambdalintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LambdalintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    build_server().start_io()
