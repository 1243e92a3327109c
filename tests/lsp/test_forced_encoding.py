"""A client that offers no position encoding gets UTF-16 columns, as the protocol says;
the user can force another one (for clients that count bytes without saying so, like Vim's
ALE) with `nilmap-lsp --position-encoding` or the `positionEncoding` initialization
option, and then columns after Chinese text and emoji are counted that way both ways."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from support import Session, byte_range, make_client, range_of

TEXT = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\t/* 计数 😀 */ m["é"] = 1\n}\n'
CASES = {
    # id: (server flags, initialization options, the encoding the columns must be in)
    "offered-nothing": ([], None, "utf-16"),
    "flag-utf8": (["--position-encoding", "utf-8"], None, "utf-8"),
    "option-utf8": ([], {"positionEncoding": "utf-8"}, "utf-8"),
    "option-wins-over-flag": (["--position-encoding", "utf-8"], {"positionEncoding": "utf-32"}, "utf-32"),
}


def _config(flags: list[str]) -> ClientServerConfig:
    return ClientServerConfig(server_command=[sys.executable, "-m", "lsp_server", *flags], client_factory=make_client)


@pytest.mark.parametrize("case", list(CASES))
async def test_columns_follow_the_forced_encoding(case: str, tmp_path: Path) -> None:
    flags, options, expected = CASES[case]
    client = make_client()
    await client.start_io(*_config(flags).server_command)
    try:
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),  # what ALE sends: no general.positionEncodings
                root_uri=tmp_path.as_uri(),
                initialization_options=options,
            )
        )
        encoding = str(getattr(result.capabilities.position_encoding, "value", result.capabilities.position_encoding) or "utf-16")
        assert encoding == expected
        (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.19\n")
        session = Session(client, case, tmp_path, expected, pull=False)
        uri = session.open("main.go", TEXT)
        [diagnostic] = [d for d in await session.diagnostics(uri) if d.code == "NM001"]
        start = TEXT.encode().index('m["é"]'.encode())
        assert diagnostic.range.start == byte_range(TEXT, start, start + 1, expected).start
        # Positions the client sends are read in the same encoding: the quick fix is found
        # at the write and its edit lands on the declaration, not inside the string.
        actions = await session.code_actions(uri, range_of(TEXT, 'm["é"]', expected), [diagnostic])
        assert actions[0].title == "Initialize `m` with `make(map[string]int)`"
        await session.apply(uri, actions[0].edit)
        assert 'm := make(map[string]int)' in session.texts[uri] and '/* 计数 😀 */ m["é"] = 1' in session.texts[uri]
        await session.diagnostics_until(uri, lambda ds: not [d for d in ds if d.code == "NM001"])
    finally:
        await client.shutdown_session()
        await client.stop()
