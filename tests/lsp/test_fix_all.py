"""`source.fixAll.nilmap` runs the loop `nilmap check --fix` runs: fixes whose edits meet
are applied over several rounds, and the editor ends with the very text the CLI writes."""
from __future__ import annotations

import subprocess
import sys

from lsprotocol import types

from support import Session

# The two guards go before the same statement: one fix per round, two rounds.
TWO_GUARDS = """package main

func main() {
	var a map[string]int
	var b map[string]int
	if a == nil || b == nil {
		println("empty")
	}
	a["x"], b["y"] = 1, 2
}
"""


async def test_fix_all_fixes_until_stable_like_the_command_line(session: Session) -> None:
    uri = session.open("main.go", TWO_GUARDS)
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001", "NM001"]
    nowhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    [action] = await session.code_actions(uri, nowhere, [], only=[types.CodeActionKind.SourceFixAll])
    await session.apply(uri, action.edit)
    assert await session.diagnostics(uri) == []
    cli = session.root / "cli"
    cli.mkdir()
    (cli / "main.go").write_text(TWO_GUARDS)
    fixed = subprocess.run([sys.executable, "-m", "analyzers.cli", "check", "--fix", "--no-cache", "."], cwd=cli, capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert session.texts[uri] == (cli / "main.go").read_text()
    assert session.texts[uri].count("= make(map[string]int)") == 2
