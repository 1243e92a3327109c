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
