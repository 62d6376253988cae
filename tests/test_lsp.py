"""The language server, driven over stdio by pygls's LSP client as an editor would drive it."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pygls.lsp.client import LanguageClient

from lambdalint.core.span import LineIndex

FIXABLE = "import boto3\n\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3.list_buckets()\n"
CLEAN = "def handler(event, context):\n    return 1\n"
HELPER = """import functools


def traced(fn):
    @functools.wraps(fn)
    def wrapper(event, context):
        return fn(event, context)

    return wrapper
"""
ASYNC_HANDLER = """from helper import traced


@traced
async def handler(event, context):
    return {"ok": True}
"""
TIMEOUT = 60  # seconds: the suite shares a loaded machine


class Editor:
    """A language client with the buffers it has open, as an editor keeps them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("test-editor", "1")
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.count: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.messages: list[str] = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = list(params.diagnostics)
            self.count[params.uri] = self.count.get(params.uri, 0) + 1

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "lambdalint", "server", cwd=self.root)
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=self.root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=self.root.as_uri(), name="root")],
            )
        )
        self.client.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str) -> str:
        uri = self.uri(name)
        self.texts[uri], self.versions[uri] = text, 1
        language = "python" if name.endswith(".py") else "yaml"
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )
        return uri

    def change(self, name: str, text: str) -> None:
        uri = self.uri(name)
        self.texts[uri] = text
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def diagnostics(self, name: str, settled=lambda diagnostics: True, after: int = 0):
        """The diagnostics published for `name` once `settled` holds for them."""
        uri = self.uri(name)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            found = self.published.get(uri)
            if found is not None and self.count[uri] > after and settled(found):
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no settled diagnostics for {name}: last {self.published.get(uri)}")

    async def code_actions(self, name: str, diagnostic: types.Diagnostic):
        return await asyncio.wait_for(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=self.uri(name)),
                    range=diagnostic.range,
                    context=types.CodeActionContext(diagnostics=[diagnostic]),
                )
            ),
            TIMEOUT,
        )

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a workspace edit to the buffers and tell the server, as an editor does."""
        for change in edit.document_changes:
            uri = change.text_document.uri
            assert change.text_document.version == self.versions[uri], "edit of a stale buffer"
            text = self.texts[uri]
            index = LineIndex(text)
            # From the end backwards, so earlier offsets stay valid.
            spans = sorted(
                (
                    index.offset_of_lsp(e.range.start.line, e.range.start.character),
                    index.offset_of_lsp(e.range.end.line, e.range.end.character),
                    e.new_text,
                )
                for e in change.edits
            )
            for start, end, new in reversed(spans):
                text = text[:start] + new + text[end:]
            self.change(Path(uri.removeprefix("file://")).name, text)


def drive(root: Path, scenario) -> None:
    async def main() -> None:
        editor = Editor(root)
        await editor.start()
        try:
            await scenario(editor)
        finally:
            await editor.stop()

    asyncio.run(main())


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the project the server reads as context
    return tmp_path


def rules(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


UNSAFE_ONLY = "import requests\n\n\ndef handler(event, context):\n    return requests.get('https://x').status_code\n"


def test_diagnostics_code_actions_and_hover_in_one_session(root: Path):
    async def scenario(editor: Editor) -> None:
        # Open a handler creating a client per invocation: LL101, where the client is created.
        editor.open("app.py", FIXABLE)
        (found,) = await editor.diagnostics("app.py")
        assert found.code == "LL101" and found.source == "lambdalint"
        assert found.severity == types.DiagnosticSeverity.Warning
        assert (found.range.start.line, found.range.start.character) == (4, 9)
        assert found.code_description.href.endswith("/rules/LL101.md")

        # Hover on it: the rule's summary and page; elsewhere: nothing.
        def hover_at(position: types.Position):
            return editor.client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=editor.uri("app.py")),
                    position=position,
                )
            )

        hover = await asyncio.wait_for(hover_at(found.range.start), TIMEOUT)
        assert "**LL101 client-in-handler**" in hover.contents.value
        assert "/rules/LL101.md" in hover.contents.value
        assert await hover_at(types.Position(line=0, character=0)) is None

        # Its actions: the safe fix first, then the suppressions; the fix empties the list.
        actions = await editor.code_actions("app.py", found)
        titles = [action.title for action in actions]
        assert titles[0].startswith("LL101: ") and actions[0].is_preferred
        assert titles[1:] == ["Suppress LL101 on this line", "Suppress LL101 for this file"]
        editor.apply(actions[0].edit)
        assert await editor.diagnostics("app.py", lambda d: not d) == []
        assert "s3_client = boto3.client" in editor.texts[editor.uri("app.py")]

        # An unsafe fix is offered, marked and not preferred.
        editor.open("unsafe.py", UNSAFE_ONLY)
        (found,) = await editor.diagnostics("unsafe.py")
        (fix, *_) = await editor.code_actions("unsafe.py", found)
        assert fix.title.endswith("(unsafe: may change behaviour)") and not fix.is_preferred

        # Both suppressions silence the finding; a shebang stays first.
        for name, where in (("line.py", "on this line"), ("whole.py", "for this file")):
            editor.open(name, "#!/usr/bin/env python\n" + FIXABLE)
            (found,) = await editor.diagnostics(name)
            actions = await editor.code_actions(name, found)
            (action,) = [a for a in actions if a.title == f"Suppress LL101 {where}"]
            editor.apply(action.edit)
            assert await editor.diagnostics(name, lambda d: not d) == []
            text = editor.texts[editor.uri(name)]
            assert text.startswith("#!/usr/bin/env python\n")
            assert ("lambdalint: ignore[LL101]" in text) == (where == "on this line")
            assert ("lambdalint: file-ignore[LL101]" in text) == (where == "for this file")

        # Closing a buffer clears what was published for it.
        editor.open("closed.py", FIXABLE)
        await editor.diagnostics("closed.py", bool)
        editor.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri("closed.py"))
            )
        )
        assert await editor.diagnostics("closed.py", lambda d: not d) == []

    drive(root, scenario)


def test_edits_refresh_the_files_they_affect(root: Path):
    code = "import boto3\n\n\ndef run(payload):\n    s3 = boto3.client('s3')\n    return s3\n"
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: app.{name}\n      CodeUri: .\n      Runtime: python3.12\n"
        "      Timeout: 10\n      MemorySize: 256\n"
    )
    (root / "app.py").write_text(code)
    (root / "template.yaml").write_text(template.format(name="other"))

    async def scenario(editor: Editor) -> None:
        # Editing a helper (unsaved) refreshes the open handler that reaches it.
        editor.open("helper.py", HELPER)
        editor.open("handler.py", ASYNC_HANDLER)
        assert rules(await editor.diagnostics("handler.py", bool)) == ["LL117"]
        seen = editor.count[editor.uri("handler.py")]
        # The decorator now runs the coroutine: the handler is fine.
        running = HELPER.replace(
            "return fn(event, context)", "return asyncio.run(fn(event, context))"
        )
        editor.change("helper.py", "import asyncio\n" + running)
        assert await editor.diagnostics("handler.py", lambda d: not d, after=seen) == []
        assert not (root / "helper.py").exists()  # buffers only: nothing was saved

        # Editing a template refreshes its functions' code: `run` becomes the handler.
        editor.open("app.py", code)
        editor.open("template.yaml", template.format(name="other"))
        assert "LL101" not in rules(await editor.diagnostics("app.py"))
        seen = editor.count[editor.uri("app.py")]
        editor.change("template.yaml", template.format(name="run"))
        found = await editor.diagnostics("app.py", lambda d: "LL101" in rules(d), after=seen)
        assert "LL101" in rules(found)

    drive(root, scenario)


def raw_message(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_malformed_requests_and_a_deleted_file_do_not_stop_the_server(root: Path):
    (root / "app.py").write_text(FIXABLE)

    async def scenario(editor: Editor) -> None:
        editor.open("app.py", FIXABLE)
        await editor.diagnostics("app.py", bool)
        # Garbage on the wire, requests with nonsense parameters, an unknown method.
        stdin = editor.client._server.stdin
        stdin.write(raw_message(b"{not json"))
        stdin.write(
            raw_message(
                b'{"jsonrpc": "2.0", "id": 9001, "method": "textDocument/codeAction", "params": {"textDocument": 3}}'
            )
        )
        stdin.write(
            raw_message(
                b'{"jsonrpc": "2.0", "id": 9002, "method": "textDocument/hover", "params": null}'
            )
        )
        stdin.write(
            raw_message(
                b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {}}}'
            )
        )
        await stdin.drain()
        with pytest.raises(JsonRpcMethodNotFound):
            await asyncio.wait_for(
                editor.client.protocol.send_request_async("lambdalint/nothing", {}), TIMEOUT
            )
        # The file disappears from disk while its buffer stays open and is edited.
        (root / "app.py").unlink()
        seen = editor.count[editor.uri("app.py")]
        editor.change("app.py", CLEAN)
        assert await editor.diagnostics("app.py", lambda d: not d, after=seen) == []
        editor.change("app.py", FIXABLE)
        assert rules(await editor.diagnostics("app.py", bool)) == ["LL101"]

        # A broken configuration is said once, not on every keystroke; fixed, linting resumes.
        def config_messages() -> list[str]:
            return [m for m in editor.messages if "lambdalint.toml" in m]

        (root / "lambdalint.toml").write_text('select = ["LL1"]\ncolour = "x"\n')
        editor.change("app.py", CLEAN)
        deadline = time.monotonic() + TIMEOUT
        while not config_messages() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert "lambdalint.toml:2" in config_messages()[0]
        editor.change("app.py", FIXABLE)
        await asyncio.sleep(1)  # a second lint with the same broken configuration
        (root / "lambdalint.toml").write_text('select = ["LL1"]\n')
        seen = editor.count[editor.uri("app.py")]
        editor.change("app.py", CLEAN)
        assert await editor.diagnostics("app.py", lambda d: not d, after=seen) == []
        assert len(config_messages()) == 1

    drive(root, scenario)


def test_an_edit_re_analyses_only_the_edited_buffer(tmp_path: Path, monkeypatch):
    """The server stays warm: per-file results of unchanged files are kept in memory across
    lints of one project, so an edit parses only what changed (issue 10, for issue 13's 100 ms)."""
    from lambdalint import lsp
    from lambdalint.engine import run as run_module

    monkeypatch.setattr(lsp, "_MEMORIES", {})
    (tmp_path / "lambdalint.toml").write_text("")
    buffers = {tmp_path / name: CLEAN for name in ("app.py", "lib.py", "other.py")}
    for path, text in buffers.items():
        path.write_text(text)
    lsp.lint_buffers(buffers)
    analysed: list[str] = []
    real = run_module.analyse_files

    def counting(sources, *args, **kwargs):
        analysed.extend(source.path.name for source in sources)
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(run_module, "analyse_files", counting)
    buffers[tmp_path / "app.py"] = FIXABLE
    lint = lsp.lint_buffers(buffers)
    assert analysed == ["app.py"]
    assert [f.rule for f in lint.findings[tmp_path / "app.py"]] == ["LL101"]
