"""Self-test of the fix golden helpers on synthetic findings with real builder fixes."""
from __future__ import annotations

from pathlib import Path

import pytest
from golden import (
    UPDATE_ENV,
    check_golden,
    edit_problems,
    fixed_package_problems,
    format_txtar,
    golden_path,
    parse_txtar,
)
from gosnippets import node_at

from analyzers.fixes import builders as B
from analyzers.model import Diagnostic, Edit, Fix, Severity, Span
from analyzers.source import SourceFile

SOURCE = b"""package main

func main() {
\tvar m map[string]int
\tm["a"] = 1 // want `write to nil map .m.`
\tvar n map[string]int
\tn["b"] = 2 // want `write to nil map .n.`
}
"""


def _diagnostics(path: Path) -> list[Diagnostic]:
    file = SourceFile(str(path), path.read_bytes())
    out = []
    for name, write in (("m", 'm["a"] = 1'), ("n", 'n["b"] = 2')):
        spec = node_at(file, f"{name} map", "var_spec")
        stmt = node_at(file, write, "assignment_statement")
        fixes = (
            B.make_at_var_declaration(file, spec, name, "map[string]int"),
            B.lazy_guard(file, stmt, name, "map[string]int"),
        )
        assert all(f is not None for f in fixes)
        out.append(
            Diagnostic(
                rule="NM001",
                message=f"write to nil map `{name}`",
                path=str(path),
                span=Span(stmt.start_byte, stmt.end_byte),
                severity=Severity.ERROR,
                fixes=tuple(f for f in fixes if f is not None),
            )
        )
    return out


@pytest.fixture
def go_file(tmp_path: Path) -> Path:
    path = tmp_path / "main.go"
    path.write_bytes(SOURCE)
    return path


def test_update_writes_then_check_passes(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    check_golden(go_file, diagnostics, update=True)
    data = golden_path(go_file).read_bytes()
    _, sections = parse_txtar(data)
    titles = [t for t, _ in sections]
    # Same-titled fixes of the two findings share a section.
    assert titles == [
        "Initialize `m` with `make(map[string]int)`",
        "Add `if m == nil` guard",
        "Initialize `n` with `make(map[string]int)`",
        "Add `if n == nil` guard",
    ]
    assert sections[0][1] == SOURCE.replace(b"var m map[string]int", b"m := make(map[string]int)")
    assert b"// want `write to nil map .m.`" in sections[1][1]
    check_golden(go_file, diagnostics, update=False)


def test_sections_share_a_title_across_findings(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    merged = [Diagnostic(d.rule, d.message, d.path, d.span, d.severity, (Fix("Add guards", d.fixes[1].edits),)) for d in diagnostics]
    sections = check_golden(go_file, merged, update=True)
    assert [t for t, _ in sections] == ["Add guards"]
    assert sections[0][1].count(b"== nil {") == 2


def test_mismatch_fails_with_a_diff(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    check_golden(go_file, diagnostics, update=True)
    golden = golden_path(go_file)
    golden.write_bytes(golden.read_bytes().replace(b"m := make", b"m := make ", 1))
    with pytest.raises(AssertionError, match=r"differs \(set NILMAP_UPDATE_GOLDENS=1"):
        check_golden(go_file, diagnostics, update=False)


def test_missing_and_stale_goldens(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    with pytest.raises(AssertionError, match="missing"):
        check_golden(go_file, diagnostics, update=False)
    check_golden(go_file, diagnostics, update=True)
    check_golden(go_file, [], update=True)  # no fix offered any more: the golden goes
    assert not golden_path(go_file).exists()


def test_title_mismatch_is_reported(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    check_golden(go_file, diagnostics[:1], update=True)
    with pytest.raises(AssertionError, match="fix titles differ"):
        check_golden(go_file, diagnostics, update=False)


def test_whole_file_golden_uses_preferred_fixes(go_file: Path) -> None:
    diagnostics = _diagnostics(go_file)
    expected = SOURCE.replace(b"var m map", b"XX").replace(b"XX[string]int", b"m := make(map[string]int)")
    expected = expected.replace(b"var n map[string]int", b"n := make(map[string]int)")
    golden_path(go_file).write_bytes(expected)
    check_golden(go_file, diagnostics, update=False)


def test_update_from_environment(go_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_ENV, "1")
    check_golden(go_file, _diagnostics(go_file))
    assert golden_path(go_file).exists()


def test_fixed_sections_pass_the_toolchain(go_file: Path) -> None:
    sections = check_golden(go_file, _diagnostics(go_file), update=True)
    for _, fixed in sections:
        assert fixed_package_problems(go_file.parent, {"main.go": fixed}) == []
    broken = SOURCE.replace(b"var m map[string]int", b"var m  map[string]int")
    assert fixed_package_problems(go_file.parent, {"main.go": broken}) == ["gofmt: main.go"]
    assert fixed_package_problems(go_file.parent, {"main.go": SOURCE + b"func f() { x := 1 }\n"})


def test_txtar_round_trip() -> None:
    sections = [("Add `x`", b"package p\n"), ("Add `y` -- z", b"package q\n\nvar a = 1\n")]
    data = format_txtar(sections, comment=b"note\n")
    assert parse_txtar(data) == (b"note\n", sections)
    assert parse_txtar(b"package p\n") == (b"package p\n", [])
    with pytest.raises(ValueError):
        format_txtar([("two\nlines", b"")])


def test_edit_problems() -> None:
    fix = Fix("Do `x`", (Edit(0, 1, "a"), Edit(5, 5, "b")))
    assert edit_problems(b"0123456", fix) == []
    assert edit_problems(b"0123", fix)  # out of bounds
    # Fix itself refuses overlaps; check the helper on an object that bypasses it.
    overlapping = object.__new__(Fix)
    object.__setattr__(overlapping, "title", "Do `y`")
    object.__setattr__(overlapping, "edits", (Edit(0, 3, "a"), Edit(2, 4, "b")))
    assert edit_problems(b"0123456", overlapping)
