"""Helpers for the end-to-end language server tests: a recording client, waits, and an
independent model of positions and edits (the oracle the server's conversion is checked
against, so it deliberately does not use `analyzers.text`).
"""
from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER_COMMAND = [sys.executable, "-m", "lsp_server"]
CLIENTS = ["visual-studio-code", "neovim"]
TIMEOUT = 30.0  # generous: a loaded CI machine; waits end on the notification, not the clock


@dataclass
class Published:
    version: int | None
    diagnostics: list[types.Diagnostic]


@dataclass
class Recorder:
    """What the server sent that pytest-lsp's client does not keep."""

    published: dict[str, list[Published]] = field(default_factory=dict)
    registrations: list[types.Registration] = field(default_factory=list)


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording diagnostic versions and registrations."""
    client = LanguageClient(converter_factory=default_converter)
    recorder = Recorder()
    client.recorder = recorder  # type: ignore[attr-defined]

    def publish(client_: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client_.diagnostics[params.uri] = params.diagnostics
        recorder.published.setdefault(params.uri, []).append(Published(params.version, list(params.diagnostics)))

    def register(client_: LanguageClient, params: types.RegistrationParams) -> None:
        recorder.registrations.extend(params.registrations)

    def unregister(client_: LanguageClient, params: types.UnregistrationParams) -> None:
        return None

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.CLIENT_UNREGISTER_CAPABILITY] = unregister
    register_lsp_features(client, features)
    return client


async def wait_for(client: LanguageClient, method: str, predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Wait until `predicate()` holds, re-checking after each `method` notification.

    The future is registered synchronously before yielding, so a notification cannot slip
    in between the check and the wait.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        future = client.protocol.wait_for_notification(method)
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError(f"no {method} satisfying the condition within {timeout}s")
        await asyncio.wait_for(asyncio.wrap_future(future), remaining)


# -- positions: an oracle independent of analyzers.text -----------------------------------
def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the LSP specification's: a lone \r ends a line too


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


def position_of(text: str, index: int, encoding: str) -> types.Position:
    """The LSP position of character index `index` of `text` (between a \\r and its \\n:
    past the line's end, which both sides clamp to it)."""
    starts = line_starts(text)
    line = max(i for i, start in enumerate(starts) if start <= index)
    return types.Position(line=line, character=units(text[starts[line] : index], encoding))


def range_of(text: str, needle: str, encoding: str, occurrence: int = 0) -> types.Range:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return types.Range(start=position_of(text, start, encoding), end=position_of(text, start + len(needle), encoding))


def byte_range(text: str, start: int, end: int, encoding: str) -> types.Range:
    """The LSP range of a byte span of `text`'s UTF-8 form."""
    data = text.encode("utf-8")
    a = len(data[:start].decode("utf-8"))
    b = len(data[:end].decode("utf-8"))
    return types.Range(start=position_of(text, a, encoding), end=position_of(text, b, encoding))


def index_of(text: str, position: types.Position, encoding: str) -> int:
    """The character index of a position, clamped as the server documents: past the last
    line means the end, past a line's end (before its \\r\\n, \\n or \\r) means that end, and
    a column inside a character moves to its end."""
    starts = line_starts(text)
    if position.line >= len(starts):
        return len(text)
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    line = _LINE_BREAK.sub("", text[start:end])
    consumed = 0
    for i, ch in enumerate(line):
        if consumed >= position.character:
            return start + i
        consumed += units(ch, encoding)
    return start + len(line)


def range_text(text: str, rng: types.Range, encoding: str) -> str:
    return text[index_of(text, rng.start, encoding) : index_of(text, rng.end, encoding)]


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply LSP text edits (all relative to `text`) the way a client does; a reversed
    range counts as the range between its ends, as the server takes it."""
    spans = sorted(
        (
            (*sorted((index_of(text, e.range.start, encoding), index_of(text, e.range.end, encoding))), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes:
        return [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list((edit.changes or {}).get(uri, []))


_SURROGATE = re.compile("[\ud800-\udfff]")


def server_view(text: str) -> str:
    """What the server keeps of client text: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class Session:
    """A client initialized against the server, with what it negotiated."""

    client: LanguageClient
    name: str
    root: Path
    encoding: str
    pull: bool
    versions: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def recorder(self) -> Recorder:
        return self.client.recorder  # type: ignore[attr-defined]

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def open(self, relative: str, text: str, write: bool = True) -> str:
        path = self.write(relative, text) if write else self.root / relative
        uri = path.as_uri()
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="go", version=1, text=text))
        )
        return uri

    def change(self, uri: str, rng: types.Range | None, new_text: str) -> int:
        """Send one edit (or a whole-text change when `rng` is None); returns the new version."""
        self.versions[uri] += 1
        if rng is None:
            change: Any = types.TextDocumentContentChangeWholeDocument(text=new_text)
            self.texts[uri] = new_text
        else:
            change = types.TextDocumentContentChangePartial(range=rng, text=new_text)
            self.texts[uri] = apply_text_edits(self.texts[uri], [types.TextEdit(range=rng, new_text=new_text)], self.encoding)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[change],
            )
        )
        return self.versions[uri]

    def insert(self, uri: str, after: str, new_text: str) -> int:
        """Insert `new_text` right after the first occurrence of `after`."""
        text = self.texts[uri]
        index = text.index(after) + len(after)
        point = position_of(text, index, self.encoding)
        return self.change(uri, types.Range(start=point, end=point), new_text)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """The diagnostics of the document's latest version: pushed, or pulled where the
        client pulls (the server pushes only to clients that cannot pull)."""
        if self.pull:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            return list(report.items)
        version = self.versions[uri]
        published = self.recorder.published

        def arrived() -> bool:
            return any(p.version == version for p in published.get(uri, []))

        await wait_for(self.client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, arrived)
        return [p for p in published[uri] if p.version == version][-1].diagnostics

    async def diagnostics_until(self, uri: str, predicate: Callable[[list[types.Diagnostic]], bool]) -> list[types.Diagnostic]:
        """For a document whose findings change through another file: wait (push) or pull
        until they satisfy `predicate`."""
        if self.pull:
            # (the change may reach the document after a pause: pulled again until then)
            deadline = asyncio.get_running_loop().time() + TIMEOUT
            diagnostics = await self.diagnostics(uri)
            while not predicate(diagnostics) and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.1)
                diagnostics = await self.diagnostics(uri)
            assert predicate(diagnostics), diagnostics
            return diagnostics
        published = self.recorder.published

        def arrived() -> bool:
            return bool(published.get(uri)) and predicate(published[uri][-1].diagnostics)

        await wait_for(self.client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, arrived)
        return published[uri][-1].diagnostics

    async def document_state(self, uri: str) -> Any:
        return await self.client.protocol.send_request_async("nilmap/documentState", {"uri": uri})

    async def code_actions(
        self, uri: str, rng: types.Range, diagnostics: list[types.Diagnostic], only: list[str] | None = None
    ) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=rng,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        return list(result or [])

    async def apply(self, uri: str, edit: types.WorkspaceEdit) -> int:
        """Apply a workspace edit as a client does: as one didChange with its edits."""
        edits = edits_of(edit, uri)
        if edit.document_changes:
            for change in edit.document_changes:
                assert change.text_document.version == self.versions[uri], "edit made for another version"
        self.versions[uri] += 1
        # Edits are relative to the pre-edit text: send them last-first so each range holds.
        ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
        self.texts[uri] = apply_text_edits(self.texts[uri], edits, self.encoding)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in ordered],
            )
        )
        return self.versions[uri]
