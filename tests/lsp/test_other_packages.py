"""Findings that depend on another package of the module follow that package's changes."""

from __future__ import annotations

import pytest
from lsprotocol import types
from support import Session

MAIN = """package main

import (
	"os"

	"example.com/nilmaptest/die"
)

func main() {
	var m map[string]int
	if len(os.Args) < 5 {
		m = make(map[string]int)
	} else {
		die.Usage("too many arguments")
	}
	m["a"] = 1
}
"""

DIE_EXITS = """package die

import (
	"fmt"
	"os"
)

func Usage(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(2)
}
"""
DIE_RETURNS = DIE_EXITS.replace("\tos.Exit(2)", '\tif message == "" {\n\t\tos.Exit(2)\n\t}')


@pytest.mark.workspace({"nilmap.toml": 'select = ["NM"]\n', "die/die.go": DIE_EXITS})
async def test_a_change_on_disk_in_another_package_reaches_the_open_file_that_uses_it(session: Session) -> None:
    # Whether main's map may be nil at its write depends on die.Usage: once Usage can
    # return, the open main.go has a finding, and loses it when Usage exits again.
    uri = session.open("main.go", MAIN)
    assert [d.code for d in await session.diagnostics(uri)] == []
    for text, expected in ((DIE_RETURNS, ["NM008"]), (DIE_EXITS, [])):
        path = session.write("die/die.go", text)
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)])
        )
        found = await session.diagnostics_until(uri, lambda ds, expected=expected: [d.code for d in ds] == expected)
        assert [d.code for d in found] == expected
