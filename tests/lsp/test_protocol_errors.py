"""JSON-RPC errors are answered as the specification says, and a bad message costs only
itself: the requests after it are answered, the user is never told of an internal error,
and the document text never drifts from the editor's."""
from __future__ import annotations

import asyncio
import concurrent.futures
import json

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcMethodNotFound

from support import TIMEOUT, Session, byte_range

BUG = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'


def frame(body: bytes, length: int | None = None) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


def send_raw(session: Session, data: bytes) -> None:
    """Bytes straight into the server's stdin, past the client's own framing."""
    session.client._server.stdin.write(data)  # type: ignore[attr-defined]


def change_body(session: Session, uri: str, text: str) -> bytes:
    session.versions[uri] += 1
    message = {
        "jsonrpc": "2.0",
        "method": "textDocument/didChange",
        "params": {
            "textDocument": {"uri": uri, "version": session.versions[uri]},
            "contentChanges": [{"text": text}],
        },
    }
    return json.dumps(message).encode()


async def hover_answered(session: Session, uri: str) -> None:
    """A request sent now gets its answer (here: the documentation over BUG's finding)."""
    write = types.Position(line=4, character=1)
    hover = await asyncio.wait_for(
        session.client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=write)),
        TIMEOUT,
    )
    assert hover is not None and hover.contents.value.startswith("# NM001")


async def answer_to(session: Session, message_id: int) -> concurrent.futures.Future:
    """A future the client completes when the server answers `message_id`."""
    future: concurrent.futures.Future = concurrent.futures.Future()
    session.client.protocol._request_futures[message_id] = future  # type: ignore[attr-defined]
    return future


async def test_misframed_messages_cost_only_themselves(session: Session) -> None:
    uri = session.open("main.go", BUG)
    await hover_answered(session, uri)
    body = change_body(session, uri, BUG + "// lost\n")
    session.versions[uri] -= 1  # none of these is applied
    for bad in (
        frame(body, len(body) - 25),  # too short: the body's tail is noise before the next header
        body,  # no header at all
        b"Content-Length: lots\r\n\r\n" + body,  # a header that is not one
        b"Content-Type: application/json\r\n\r\n" + body,  # a header block without a length
    ):
        send_raw(session, bad)
        await hover_answered(session, uri)
    state = await session.document_state(uri)
    assert state.text == BUG and state.version == session.versions[uri]
    # Too long: it would swallow what follows; it ends where the next header starts, so its
    # own body is read whole (and applied), and the request after it is answered.
    kept = change_body(session, uri, BUG + "// kept\n")
    send_raw(session, frame(kept, len(kept) + 4000))
    await hover_answered(session, uri)
    state = await session.document_state(uri)
    assert state.text == BUG + "// kept\n" and state.version == session.versions[uri]
    assert session.client.messages == []  # the user is not told of an internal error


async def test_unreadable_json_gets_a_parse_error_with_its_id(session: Session) -> None:
    future = await answer_to(session, 90001)
    send_raw(session, frame(b'{"jsonrpc": "2.0", "id": 90001, "method": "textDocument/hover", "params": {'))
    with pytest.raises(JsonRpcException) as error:
        await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)
    assert error.value.code == -32700  # ParseError
    future = await answer_to(session, 90002)
    send_raw(session, frame(b'{"jsonrpc": "2.0", "id": 90002, "params": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"))
    with pytest.raises(JsonRpcException) as error:
        await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)
    assert error.value.code == -32700
    uri = session.open("main.go", BUG)
    await hover_answered(session, uri)
    assert session.client.messages == []


async def test_invalid_params_are_answered_invalid_params(session: Session) -> None:
    uri = session.open("main.go", BUG)
    for n, params in enumerate(({"textDocument": 5}, {"textDocument": {"uri": uri}}, [1, 2], {"position": {"line": "x"}})):
        future = await answer_to(session, 91000 + n)
        request = {"jsonrpc": "2.0", "id": 91000 + n, "method": "textDocument/hover", "params": params}
        send_raw(session, frame(json.dumps(request).encode()))
        with pytest.raises(JsonRpcException) as error:
            await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)
        assert error.value.code == -32602  # InvalidParams
    bad_notification = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": 3}}
    send_raw(session, frame(json.dumps(bad_notification).encode()))  # dropped: nobody to answer
    await hover_answered(session, uri)
    assert session.client.messages == []


async def test_unknown_methods_are_quiet(session: Session) -> None:
    with pytest.raises(JsonRpcMethodNotFound):
        await session.client.protocol.send_request_async("nilmap/noSuchMethod", {"x": 1})
    with pytest.raises(JsonRpcMethodNotFound):
        await session.client.protocol.send_request_async("$/noSuchRequest", None)
    session.client.protocol.notify("$/noSuchNotification", {"x": 1})
    uri = session.open("main.go", BUG)
    await hover_answered(session, uri)
    assert session.client.messages == []
    assert not [m.message for m in session.client.log_messages if "noSuch" in m.message]  # a debug line at most


async def test_invalid_utf8_in_an_edit_is_replaced_not_dropped(session: Session) -> None:
    uri = session.open("main.go", BUG)
    await session.diagnostics(uri)
    text = BUG.replace("func main", "// caf\x00\x00 ok\nfunc main")
    body = change_body(session, uri, text).replace(b"\\u0000\\u0000", b"\xff\xfe")
    send_raw(session, frame(body))
    expected = text.replace("\x00\x00", "\ufffd\ufffd")  # one replacement character per bad byte
    session.texts[uri] = expected
    state = await session.document_state(uri)
    assert state.text == expected and state.version == session.versions[uri]
    [diagnostic] = await session.diagnostics(uri)
    data = expected.encode()
    start = data.index(b'm["a"]')
    assert diagnostic.range.start == byte_range(expected, start, start + 1, session.encoding).start
    assert session.client.messages == []
