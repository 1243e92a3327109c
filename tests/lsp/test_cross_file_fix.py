"""NM003 at the write offers the make where the struct is built, in another file: one quick
fix whose workspace edit changes that file (versioned when it is open), in the client's
position encoding, and clears the findings of both files once applied."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from support import Session, apply_text_edits, edits_of

TYPES = "package main\n\ntype Registry struct {\n\tname    string\n\tentries map[string]int\n}\n"
NEW = (
    "package main\n\n"
    "// NewRegistry 忘了 entries 😀\n"
    "func NewRegistry(name string) *Registry {\n"
    "\treturn /* 注册 🎉 */ &Registry{name: name}\n"
    "}\n"
)
ADD = "package main\n\nfunc (r *Registry) Add(k string) {\n\tr.entries[k] = len(k)\n}\n"
MAIN = 'package main\n\nfunc main() {\n\tr := NewRegistry("x")\n\tr.Add("k")\n}\n'
FIXED_NEW = NEW.replace("&Registry{name: name}", "&Registry{name: name, entries: make(map[string]int)}")
WORKSPACE = {"types.go": TYPES, "new.go": NEW, "add.go": ADD}


async def _construction_fix(session: Session, main_uri: str) -> types.CodeAction:
    # The write's finding depends on the package's other files (read from disk): wait for it.
    found = await session.diagnostics_until(main_uri, lambda ds: any(d.code == "NM003" for d in ds))
    [write] = [d for d in found if d.code == "NM003"]
    actions = await session.code_actions(main_uri, write.range, [write], only=[types.CodeActionKind.QuickFix])
    titles = [a.title for a in actions]
    assert titles == ["Add `entries: make(map[string]int)` to the literal at new.go:5", "Add `if r.entries == nil` guard"]
    assert actions[0].is_preferred is True and not actions[1].is_preferred
    return actions[0]


@pytest.mark.workspace(WORKSPACE)
async def test_the_write_fixes_the_construction_in_a_closed_file(session: Session) -> None:
    main_uri = session.open("main.go", MAIN)
    fix = await _construction_fix(session, main_uri)
    new_uri = (session.root / "new.go").as_uri()
    assert edits_of(fix.edit, main_uri) == []
    if fix.edit.document_changes:
        [change] = fix.edit.document_changes
        assert change.text_document.uri == new_uri and change.text_document.version is None  # not open
    else:
        assert list(fix.edit.changes) == [new_uri]
    assert apply_text_edits(NEW, edits_of(fix.edit, new_uri), session.encoding) == FIXED_NEW


@pytest.mark.workspace(WORKSPACE)
async def test_the_write_fixes_the_construction_in_an_open_file(session: Session) -> None:
    main_uri = session.open("main.go", MAIN)
    new_uri = session.open("new.go", NEW, write=False)
    built = [d for d in await session.diagnostics(new_uri) if d.code == "NM003"]
    assert len(built) == 1
    fix = await _construction_fix(session, main_uri)
    if fix.edit.document_changes:
        assert [c.text_document.version for c in fix.edit.document_changes] == [session.versions[new_uri]]
    await session.apply(new_uri, fix.edit)
    assert session.texts[new_uri] == FIXED_NEW
    await session.diagnostics_until(main_uri, lambda ds: not [d for d in ds if d.code == "NM003"])
    assert [d for d in await session.diagnostics(new_uri) if d.code == "NM003"] == []
    # The buffer changed; the file on disk is the editor's to save.
    assert Path(session.root / "new.go").read_text(encoding="utf-8") == NEW
