"""Findings that depend on another package of the module follow that package's changes."""

from __future__ import annotations

import pytest
from lsprotocol import types
from support import Session

from tests.other_package_sources import DIE_EXITS, DIE_RETURNS, main_source


@pytest.mark.workspace({"nilmap.toml": 'select = ["NM"]\n', "die/die.go": DIE_EXITS})
async def test_a_change_on_disk_in_another_package_reaches_the_open_file_that_uses_it(session: Session) -> None:
    # Whether main's map may be nil at its write depends on die.Usage: once Usage can
    # return, the open main.go has a finding, and loses it when Usage exits again.
    uri = session.open("main.go", main_source("example.com/nilmaptest"))
    assert [d.code for d in await session.diagnostics(uri)] == []
    for text, expected in ((DIE_RETURNS, ["NM008"]), (DIE_EXITS, [])):
        path = session.write("die/die.go", text)
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)])
        )
        found = await session.diagnostics_until(uri, lambda ds, expected=expected: [d.code for d in ds] == expected)
        assert [d.code for d in found] == expected


@pytest.mark.workspace({"nilmap.toml": 'select = ["NM"]\n', "die/die.go": DIE_EXITS})
async def test_unsaved_text_of_another_package_reaches_the_open_file_that_uses_it(session: Session) -> None:
    # die.go is open and edited, never saved: main's finding follows the editor's text of
    # die.go (as the go tool would build it once saved), and the disk's again once it closes.
    uri = session.open("main.go", main_source("example.com/nilmaptest"))
    assert [d.code for d in await session.diagnostics(uri)] == []
    die = session.open("die/die.go", DIE_EXITS, write=False)
    session.change(die, None, DIE_RETURNS)
    found = await session.diagnostics_until(uri, lambda ds: [d.code for d in ds] == ["NM008"])
    assert [d.code for d in found] == ["NM008"]
    session.change(die, None, DIE_EXITS)
    found = await session.diagnostics_until(uri, lambda ds: [d.code for d in ds] == [])
    assert found == []
    session.change(die, None, DIE_RETURNS)
    await session.diagnostics_until(uri, lambda ds: [d.code for d in ds] == ["NM008"])
    session.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=die)))
    found = await session.diagnostics_until(uri, lambda ds: [d.code for d in ds] == [])
    assert found == []
