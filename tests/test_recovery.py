"""Recovering the functions a syntax error folds into an ERROR node costs time linear in
the file, however many functions follow the error (an unclosed raw string swallows them all)."""
from __future__ import annotations

import pytest

from analyzers import source as source_module
from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

FUNCTION = 'func f{n}() {{\n\tvar m map[string]int\n\tm["{n}"] = {n}\n}}\n\n'


def _file_with_an_open_raw_string(functions: int) -> bytes:
    body = "".join(FUNCTION.format(n=n) for n in range(functions))
    return ("package main\n\nfunc typing() {\n\tx := `unclosed\n}\n\n" + body).encode()


@pytest.mark.parametrize("functions", [10, 400])
def test_recovery_parses_each_byte_once(functions: int, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _file_with_an_open_raw_string(functions)
    parsed: list[int] = []
    real = source_module.parse_parts

    def counting(text, parts, point):  # type: ignore[no-untyped-def]
        parsed.append(sum(end - start for start, end in parts))
        return real(text, parts, point)

    monkeypatch.setattr(source_module, "parse_parts", counting)
    file = SourceFile("main.go", source)
    assert file.tree.root_node.has_error
    names = [n.child_by_field_name("name").text.decode() for n in file.functions]
    assert names == ["typing", *(f"f{n}" for n in range(functions))]  # each one recovered
    # Each stretch once, each with the package clause and its newline again.
    assert len(parsed) == functions and sum(parsed) == len(source) - source.index(b"func f0") + functions * len(b"package main\n")


def test_functions_after_an_open_raw_string_are_still_checked() -> None:
    file = SourceFile("main.go", _file_with_an_open_raw_string(3))
    report = check_package(PackageIndex([file]))
    assert [file.lines.line_of(d.span.start) + 1 for d in report.diagnostics] == [9, 14, 19]
