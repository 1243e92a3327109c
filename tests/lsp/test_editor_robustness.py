"""What a user's workspace and typing throw at the server: a FIFO named like a Go file,
lone CRs, a package opened while it is being indexed, a folder asked about as soon as it is
added, keys faster than an analysis, broken settings and configuration files."""
from __future__ import annotations

import asyncio
import os

import pytest
from lsprotocol import types

from support import TIMEOUT, Session, byte_range, wait_for

BUG = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'
REGISTRY = "package {pkg}\n\nvar registry map[string]int\n"
REGISTER = 'package {pkg}\n\nfunc register(k string) {{\n\tregistry[k] = 1\n}}\n'


async def test_a_fifo_named_like_a_go_file_hangs_nothing(session: Session) -> None:
    uri = session.open("main.go", BUG)
    await session.diagnostics(uri)  # its directory is loaded: a new file there is read
    os.mkfifo(session.root / "pipe.go")  # nobody ever writes to it: reading it would block forever
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(session.root / "pipe.go").as_uri(), type=types.FileChangeType.Created)]
        )
    )
    session.insert(uri, 'm["a"] = 1\n', "\t_ = m\n")
    [diagnostic] = await asyncio.wait_for(session.diagnostics(uri), TIMEOUT)
    hover = await asyncio.wait_for(
        session.client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=diagnostic.range.start)
        ),
        TIMEOUT,
    )
    assert hover is not None
    report = await asyncio.wait_for(
        session.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])), TIMEOUT
    )
    assert [item.uri for item in report.items] == [uri]  # the FIFO is no Go file


async def test_a_lone_cr_ends_a_line(session: Session) -> None:
    """The LSP specification counts `\\r`, `\\n` and `\\r\\n` as line ends."""
    text = 'package main\n\n// 旧的\r注释\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'
    uri = session.open("main.go", text)
    [diagnostic] = await session.diagnostics(uri)
    start = text.encode().index(b'm["a"]')
    assert diagnostic.range == byte_range(text, start, start + len(b'm["a"]'), session.encoding)
    assert diagnostic.range.start.line == 6
    session.insert(uri, "// 旧的\r", "\r")  # one more lone CR before it: one line further down
    [moved] = await session.diagnostics(uri)
    assert moved.range.start.line == 7


def _packages(count: int) -> dict[str, str]:
    files = {}
    for i in range(count):
        files[f"p{i:02d}/registry.go"] = REGISTRY.format(pkg=f"p{i:02d}")
        files[f"p{i:02d}/register.go"] = REGISTER.format(pkg=f"p{i:02d}")
    return files


@pytest.mark.workspace(_packages(30))
async def test_first_open_sees_the_rest_of_its_package_while_the_workspace_is_indexed(session: Session) -> None:
    """30 files opened at once, as indexing starts: each one's very first findings already
    know the map is declared, never made, in the other file of its package."""
    uris = [session.open(f"p{i:02d}/register.go", REGISTER.format(pkg=f"p{i:02d}"), write=False) for i in range(30)]
    if session.pull:
        reports = await asyncio.gather(*(session.diagnostics(uri) for uri in uris))
        assert [[d.code for d in report] for report in reports] == [["NM001"]] * 30
        return
    published = session.recorder.published
    await wait_for(session.client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, lambda: all(published.get(u) for u in uris))
    assert [[d.code for d in published[u][0].diagnostics] for u in uris] == [["NM001"]] * 30


async def test_workspace_diagnostics_right_after_a_folder_is_added(session: Session) -> None:
    folder = session.root / "added"
    for i in range(4):
        session.write(f"added/q{i}/main.go", BUG.replace("package main", f"package q{i}"))
    session.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(uri=folder.as_uri(), name="added")], removed=[])
        )
    )
    report = await session.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    found = {item.uri: [d.code for d in item.items] for item in report.items}
    assert found == {(folder / f"q{i}" / "main.go").as_uri(): ["NM001"] for i in range(4)}


HELPER = "func helper{n}(xs []string) map[string]int {{\n\tcounts := make(map[string]int)\n\tfor _, x := range xs {{\n\t\tcounts[x]++\n\t}}\n\treturn counts\n}}\n\n"


async def test_keys_faster_than_an_analysis_never_empty_the_findings(session: Session) -> None:
    """200 keystrokes a few milliseconds apart in a 1,600-line file, pulling as they come:
    the bug stays in the text throughout, so no answer (pulled) or publish (pushed) may be
    empty, and no publish may describe older text than the one before it."""
    text = BUG.replace("func main() {", "func main() {\n\t_ = 0") + "".join(HELPER.format(n=n) for n in range(200))
    uri = session.open("main.go", text)
    await session.diagnostics(uri)
    pulls = []
    for n in range(1, 201):
        session.change(uri, byte_range(session.texts[uri], *_number_span(session.texts[uri]), session.encoding), str(n))
        if session.pull and n % 5 == 0:
            params = types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
            pulls.append(asyncio.ensure_future(session.client.text_document_diagnostic_async(params)))
        await asyncio.sleep(0.003)  # a fast typist, not a wait for the server
    if session.pull:
        reports = await asyncio.wait_for(asyncio.gather(*pulls), TIMEOUT)
        assert [[d.code for d in report.items] for report in reports] == [["NM001"]] * len(pulls)
        assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]
        return
    final = await session.diagnostics(uri)  # the publish of the last version
    assert [d.code for d in final] == ["NM001"]
    versions = [p.version for p in session.recorder.published[uri]]
    assert versions == sorted(versions)
    assert all(p.diagnostics for p in session.recorder.published[uri])


def _number_span(text: str) -> tuple[int, int]:
    """The byte span of the number in `_ = N`."""
    data = text.encode()
    start = data.index(b"_ = ") + len(b"_ = ")
    end = start
    while data[end : end + 1].isdigit():
        end += 1
    return start, end


async def test_a_bad_exclude_glob_in_the_editor_settings(session: Session) -> None:
    uri = session.open("main.go", BUG)
    await session.diagnostics(uri)
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"exclude": ["gen/**", "[z-a]"]}})
    )
    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, lambda: bool(session.client.messages))
    [message] = session.client.messages
    assert message.message == (
        "nilmap: invalid settings (invalid glob `[z-a]` in `exclude`: `z-a` is not a range: `z` comes after `a`); using the defaults"
    )
    await still_served(session, uri)


async def still_served(session: Session, uri: str) -> None:
    """An edit still gets its findings: the write moves a line down, and so does its finding."""
    session.insert(uri, "var m map[string]int\n", "\t_ = 1\n")
    [diagnostic] = await session.diagnostics(uri)
    assert (diagnostic.code, diagnostic.range.start.line) == ("NM001", 5)


@pytest.mark.parametrize(
    "content, error",
    [
        ('exclude = ["[!]"]\n', "nilmap.toml:1: invalid glob `[!]` in `exclude`: `[` at column 1 is never closed"),
        ("select = " + "[" * 30_000 + "]" * 30_000 + "\n", "nilmap.toml: invalid TOML: nested too deeply"),
    ],
    ids=["bad glob", "deeply nested"],
)
async def test_a_broken_configuration_file_falls_back_to_the_defaults(session: Session, content: str, error: str) -> None:
    session.write("nilmap.toml", content)
    uri = session.open("main.go", BUG)
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]  # defaults, every pull
    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, lambda: bool(session.client.messages))
    assert [m.message for m in session.client.messages] == [f"{session.root / error}; using the defaults"]
    await still_served(session, uri)
