"""Fixes keep gofmt's alignment of trailing comments: each case is fixed, then judged by gofmt."""
from __future__ import annotations

import pathlib

import pytest

from analyzers.fixes.apply import apply_fixes
from analyzers.fixes.comments import realigned
from analyzers.model import Edit, Fix
from tests.gotool import gofmt_l, write_module

DECLARATION = "var m map[string]int"
MADE = "m := make(map[string]int)"
GUARD = "if m == nil {\n\t\tm = make(map[string]int)\n\t}\n\t"


def program(body: str) -> str:
    return f"package main\n\nimport \"fmt\"\n\nfunc main() {{\n{body}\tfmt.Println(m)\n}}\n"


def gofmt_clean(tmp_path: pathlib.Path, source: bytes) -> bool:
    write_module(tmp_path, {"main.go": source})
    return gofmt_l(tmp_path) == []


def declaration_fix(source: bytes) -> Fix:
    start = source.index(DECLARATION.encode())
    return Fix("make", (Edit(start, start + len(DECLARATION), MADE),))


def guard_fix(source: bytes) -> Fix:
    start = source.index(b'm["k"]')
    return Fix("guard", (Edit(start, start, GUARD),))


CASES = {
    "block around the declaration": '\ta := 1               // one\n\tvar m map[string]int // the map\n\tb := "two"           // two\n\tm["k"] = a\n\t_ = b\n',
    "declaration ends the block": '\ta := 1               // one\n\tvar m map[string]int // the map\n\n\tm["k"] = a\n',
    "guard splits a block": '\tvar m map[string]int // the map\n\tm["k"] = 1           // first\n\tm["j"] = 2           // second\n',
    "comment-like text in a string": '\ts := "a//b"          // slashes\n\tvar m map[string]int // the map\n\tm["k"] = len(s)\n',
    "wide characters": '\ts := "日本語"           // runes, not bytes\n\tvar m map[string]int // the map\n\tm["k"] = len(s)\n',
    "other indentation is another block": '\tvar m map[string]int // the map\n\t{\n\t\tx := 1 // inner\n\t\t_ = x\n\t}\n\tm["k"] = 1\n',
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("make_fix", [declaration_fix, guard_fix], ids=["declaration", "guard"])
def test_fixed_code_stays_gofmt_clean(tmp_path: pathlib.Path, case: str, make_fix) -> None:
    source = program(CASES[case]).encode()
    assert gofmt_clean(tmp_path / "before", source), "the case itself must be gofmt-clean"
    fixed, applied = apply_fixes(source, [realigned(source, make_fix(source))])
    assert applied == 1
    assert gofmt_clean(tmp_path / "after", fixed), fixed.decode()


def test_a_block_next_to_a_line_it_cannot_judge_is_left_alone() -> None:
    source = program("\tx := 1               // one\n\tvar m map[string]int // the map\n\tif x > 0 {            // opens\n\t\tm[\"k\"] = x\n\t}\n").encode()
    fix = declaration_fix(source)
    assert realigned(source, fix) == fix


def test_without_comments_the_fix_is_unchanged() -> None:
    source = program('\tvar m map[string]int\n\tm["k"] = 1\n').encode()
    fix = declaration_fix(source)
    assert realigned(source, fix) == fix


def test_without_realignment_gofmt_would_complain(tmp_path: pathlib.Path) -> None:
    """The cases are real: the bare fix leaves the block misaligned."""
    source = program(CASES["block around the declaration"]).encode()
    fixed, _ = apply_fixes(source, [declaration_fix(source)])
    assert not gofmt_clean(tmp_path, fixed)


def test_bytes_that_are_not_utf8_near_the_fix_leave_it_alone() -> None:
    source = program(CASES["block around the declaration"]).encode().replace(b"// one", b"// o\x80ne")
    fix = declaration_fix(source)
    assert realigned(source, fix) == fix
