"""The server never dies: bad text, huge files, bad edits, unknown methods, failing rules
and bad settings are logged (and at most one message shown), and it keeps answering."""
from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from support import Session, server_view

BUG = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'


async def assert_still_serving(session: Session, name: str = "alive.go") -> None:
    """A fresh document with a bug still gets its finding."""
    uri = session.open(name, BUG)
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]


async def test_invalid_utf8_and_nul_bytes(session: Session) -> None:
    # A client that read undecodable bytes sends them as lone surrogates; NULs come as is.
    text = 'package main\n\n// \udcff\udcfe 坏字节\nfunc main() {\n\tvar m map[string]int\n\ts := "\x00\x00"\n\tm[s] = 1\n}\n'
    uri = session.open("bad.go", text, write=False)
    session.write("bad.go", b"package main\n\n// \xff\xfe\x00\n")  # and on disk, next door
    session.write("worse.go", b"\xc3\x28 not even a package clause \x00")
    diagnostics = await session.diagnostics(uri)
    assert [d.code for d in diagnostics] == ["NM001"]
    state = await session.document_state(uri)
    assert state.text == server_view(text)
    session.insert(uri, "// \udcff", "\udcfd\x00")
    await session.diagnostics(uri)
    assert (await session.document_state(uri)).text == server_view(session.texts[uri])
    await assert_still_serving(session)


async def test_a_10_mb_file_is_tracked_but_not_analysed(session: Session) -> None:
    line = "// " + "填充 padding 😀 " * 6 + "\n"
    body = line * (10 * 1024 * 1024 // len(line.encode()) + 1)
    text = BUG + body
    assert len(text.encode()) > 10 * 1024 * 1024
    uri = session.open("huge.go", text, write=False)
    assert await session.diagnostics(uri) == []
    session.insert(uri, "func main() {\n", "\tvar n map[int]int\n\tn[1] = 2\n")
    assert await session.diagnostics(uri) == []
    state = await session.document_state(uri)
    assert state.parsed is False and len(state.text) == len(session.texts[uri])
    assert any("limit" in m.message for m in session.client.log_messages)
    await assert_still_serving(session)


async def test_edit_ranges_past_the_end_are_clamped(session: Session) -> None:
    uri = session.open("main.go", BUG)
    await session.diagnostics(uri)
    past = types.Position(line=999, character=5)
    session.change(uri, types.Range(start=past, end=past), "\n// 尾巴 🐉\n")
    long_column = types.Position(line=0, character=400)
    session.change(uri, types.Range(start=long_column, end=long_column), " // 包")
    reversed_range = types.Range(start=types.Position(line=2, character=4), end=types.Position(line=1, character=0))
    session.change(uri, reversed_range, "\nfunc")  # read as 1:0-2:4: the same text again
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]
    state = await session.document_state(uri)
    assert state.text == session.texts[uri]
    assert state.text.startswith("package main // 包\n") and state.text.endswith("// 尾巴 🐉\n")
    assert any("clamped" in m.message for m in session.client.log_messages)


async def test_unknown_request_is_method_not_found_and_unknown_notification_ignored(session: Session) -> None:
    with pytest.raises(JsonRpcMethodNotFound):
        await session.client.protocol.send_request_async("nilmap/noSuchMethod", {"x": 1})
    session.client.protocol.notify("nilmap/noSuchNotification", {"x": 1})
    session.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=(session.root / "never.go").as_uri(), version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="package main\n")],
        )
    )
    await assert_still_serving(session)
    assert session.client.messages == []  # nothing worth bothering the user with


async def test_a_failing_rule_is_reported_once_and_the_others_still_publish(faulty_session: Session) -> None:
    session = faulty_session
    uri = session.open("main.go", BUG)
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]
    session.insert(uri, 'm["a"] = 1\n', '\tm["b"] = 2\n')
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]
    assert [m.message for m in session.client.messages] == ["nilmap hit an internal error; see the output log"]
    assert any("NM999" in m.message and "boom" in m.message for m in session.client.log_messages)


async def test_invalid_initialization_options_fall_back_to_defaults(misconfigured_session: Session) -> None:
    session = misconfigured_session
    uri = session.open("main.go", BUG)
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]  # defaults: NM001 on

    def warned() -> bool:
        return any("invalid settings" in m.message for m in session.client.messages)

    from support import wait_for

    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, warned)
    assert len(session.client.messages) == 1


async def test_server_exits_when_its_parent_process_dies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio
    import subprocess

    from pytest_lsp import client_capabilities
    from support import SERVER_COMMAND, make_client

    parent = subprocess.Popen(["sleep", "30"])
    client = make_client()
    await client.start_io(*SERVER_COMMAND)
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim"), root_uri=tmp_path.as_uri(), process_id=parent.pid)
    )
    parent.kill()
    parent.wait()
    server = client._server  # type: ignore[attr-defined]
    code = await asyncio.wait_for(server.wait(), 30)  # the watcher polls every few seconds
    assert code != 0
    client._stop_event.set()  # type: ignore[attr-defined]  # the server is gone: no shutdown handshake
    await client.stop()
