"""Code actions end to end: quick fixes linked to their diagnostics, `isPreferred` only for
the safe preferred fix, `source.fixAll.nilmap`, and edits that clear the findings once
applied. The fixes come from the test rule NM998 (see extra_rules_server.py), which offers a
safe and an unsafe alternative for every finding, on lines with Chinese and emoji."""
from __future__ import annotations

from lsprotocol import types
from pytest_lsp import client_capabilities
from support import Session

SOURCE = """package main

import "fmt"

// 统计：每个键写一次 😀
func main() {
	fmt.Println("表情 🎉"); panic("nilmap-test") // 崩溃 💥
}

func other() {
	if len("👩‍👩‍👧") > 0 { panic("nilmap-test") }
}
"""


async def test_quick_fixes_are_linked_and_only_the_safe_one_is_preferred(fixable_session: Session) -> None:
    session = fixable_session
    uri = session.open("main.go", SOURCE)
    diagnostics = [d for d in await session.diagnostics(uri) if d.code == "NM998"]
    assert len(diagnostics) == 2
    first = diagnostics[0]
    actions = await session.code_actions(uri, first.range, [first])
    assert [a.title for a in actions if a.kind == types.CodeActionKind.QuickFix] == [
        "Remove the call",
        "Replace it with `return`",
    ]
    safe, unsafe = actions[0], actions[1]
    assert safe.is_preferred is True and not unsafe.is_preferred
    assert list(safe.diagnostics) == [first] and list(unsafe.diagnostics) == [first]  # the client's own
    version = await session.apply(uri, safe.edit)
    assert session.texts[uri].count('panic("nilmap-test")') == 1
    state = await session.document_state(uri)
    assert state.text == session.texts[uri] and state.version == version
    remaining = [d for d in await session.diagnostics(uri) if d.code == "NM998"]
    assert len(remaining) == 1 and remaining[0].range.start.line == 10


async def test_fix_all_applies_every_safe_fix_and_clears_the_findings(fixable_session: Session) -> None:
    session = fixable_session
    uri = session.open("main.go", SOURCE)
    assert len(await session.diagnostics(uri)) == 2
    nowhere = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    actions = await session.code_actions(uri, nowhere, [], only=[types.CodeActionKind.SourceFixAll])
    assert [a.kind for a in actions] == ["source.fixAll.nilmap"]
    await session.apply(uri, actions[0].edit)
    assert "nilmap-test" not in session.texts[uri]
    assert "表情 🎉" in session.texts[uri] and "👩‍👩‍👧" in session.texts[uri]
    assert await session.diagnostics(uri) == []
    state = await session.document_state(uri)
    assert state.text == session.texts[uri]
    assert await session.code_actions(uri, nowhere, [], only=["source.fixAll.nilmap"]) == []


async def test_actions_follow_the_current_version(fixable_session: Session) -> None:
    session = fixable_session
    uri = session.open("main.go", SOURCE)
    [old, _] = await session.diagnostics(uri)
    # Shift everything two lines down: the old range no longer holds a finding.
    session.insert(uri, "package main\n", "\n// 新注释 ✨\n")
    stale = await session.code_actions(uri, old.range, [old], only=[types.CodeActionKind.QuickFix])
    assert stale == []
    [moved, _] = await session.diagnostics(uri)
    assert moved.range.start.line == old.range.start.line + 2
    fixes = await session.code_actions(uri, moved.range, [moved], only=[types.CodeActionKind.QuickFix])
    assert len(fixes) == 2
    edit = fixes[0].edit
    workspace = client_capabilities(session.name).workspace
    if workspace and workspace.workspace_edit and workspace.workspace_edit.document_changes:  # VS Code, not Neovim
        assert edit.document_changes and edit.changes is None
        assert [change.text_document.version for change in edit.document_changes] == [session.versions[uri]]
    else:
        assert edit.document_changes is None and edit.changes is not None and list(edit.changes) == [uri]


NIL_MAP = """package main

import "fmt"

// 计数：表情出现的次数 😀
func main() {
	var counts map[string]int // 映射 🗺️
	counts["😀"] = 1 // 崩溃 💥
	fmt.Println(counts)
}
"""


async def test_real_nil_map_write_fix_applies_and_the_finding_clears(session: Session) -> None:
    uri = session.open("main.go", NIL_MAP)
    [finding] = [d for d in await session.diagnostics(uri) if d.code == "NM001"]
    actions = await session.code_actions(uri, finding.range, [finding], only=[types.CodeActionKind.QuickFix])
    assert actions, "NM001 offers a fix for a local declared without make"
    # The first safe fix, the one `--fix` applies, is the only one marked preferred.
    assert [bool(a.is_preferred) for a in actions] == [True] + [False] * (len(actions) - 1)
    assert actions[0].title == "Initialize `counts` with `make(map[string]int)`"
    await session.apply(uri, actions[0].edit)
    assert "counts := make(map[string]int) // 映射 🗺️" in session.texts[uri]
    assert [d for d in await session.diagnostics(uri) if d.code == "NM001"] == []
    assert (await session.document_state(uri)).text == session.texts[uri]
