"""Hypothesis state machine: random incremental edits (non-ASCII, CRLF, lone CR, NUL, lone
surrogates, ranges past the end, reversed ranges) sent to the real server; after each
step the server's text must equal the client's, and it must still answer.

One server process per client kind for the whole machine run; each example opens a new
document, so examples stay independent without paying a server start each.
"""
from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from lsprotocol import types
from pytest_lsp import client_capabilities

from support import CLIENTS, SERVER_COMMAND, Session, make_client, position_of, server_view

PIECES = st.sampled_from(
    ["a", "m", "[", "]", "=", " ", "\t", "\n", "\r\n", "\r", "{", "}", "\"", "映射", "😀", "👩‍👩‍👧", "é", "\x00", "\udcff", "\ufffd",
     "var m map[string]int\n", 'm["k"] = 1\n', "func f() {\n", "}\n", "// 注释\n"]
)
TEXT = st.lists(PIECES, max_size=6).map("".join)
START = 'package main\n\n// 起点 🎯\nfunc main() {\n\tvar m map[string]int\n\tm["😀"] = 1\n}\n'


class TextSync(RuleBasedStateMachine):
    """The client's text model against the server's document."""

    session: Session
    loop: asyncio.AbstractEventLoop
    counter = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        self.uri = ""

    def run(self, coroutine):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, 30))

    @initialize()
    def open_document(self) -> None:
        self.uri = self.session.open(f"doc{next(self.counter)}.go", START, write=False)

    def position(self, data: st.DataObject) -> types.Position:
        text = self.session.texts[self.uri]
        if data.draw(st.integers(0, 9)) == 0:  # out of range: past the last line or a line's end
            return types.Position(line=data.draw(st.integers(0, 40)), character=data.draw(st.integers(0, 200)))
        # A real character boundary, in the negotiated unit.
        return position_of(text, data.draw(st.integers(0, len(text))), self.session.encoding)

    @rule(data=st.data(), new_text=TEXT)
    def edit(self, data: st.DataObject, new_text: str) -> None:
        start, end = self.position(data), self.position(data)
        self.session.change(self.uri, types.Range(start=start, end=end), new_text)

    @rule(new_text=TEXT)
    def replace_everything(self, new_text: str) -> None:
        self.session.change(self.uri, None, START + new_text)

    @invariant()
    def server_text_equals_client_text(self) -> None:
        if not self.uri:
            return
        state = self.run(self.session.document_state(self.uri))
        assert state.text == server_view(self.session.texts[self.uri])
        assert state.version == self.session.versions[self.uri]


@pytest.mark.parametrize("name", CLIENTS)
def test_server_text_follows_random_edits(name: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    client = make_client()

    async def start() -> Session:
        await client.start_io(*SERVER_COMMAND)
        result = await client.initialize_session(
            types.InitializeParams(capabilities=client_capabilities(name), root_uri=tmp_path.as_uri())
        )
        kind = result.capabilities.position_encoding or "utf-16"
        encoding = str(getattr(kind, "value", kind))
        return Session(client, name, tmp_path, encoding, pull=True)

    try:
        TextSync.session = loop.run_until_complete(start())
        TextSync.loop = loop
        run_state_machine_as_test(
            TextSync,
            settings=settings(
                max_examples=25,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
        # After all that, it still analyses: a pull on a fresh buggy document finds the bug.
        session = TextSync.session
        uri = session.open("final.go", START, write=False)
        assert [d.code for d in loop.run_until_complete(session.diagnostics(uri))] == ["NM001"]
    finally:
        loop.run_until_complete(client.shutdown_session())
        loop.run_until_complete(client.stop())
        loop.close()
