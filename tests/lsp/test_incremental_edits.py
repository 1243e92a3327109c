"""Edits to one part of a package give the findings a check of the whole package gives.

The server keeps results between edits (per-function flow results, per-declaration facts,
converted diagnostics); these tests edit one function of a many-function file, and a struct
type another file's method depends on, and compare every version's diagnostics with those
of a fresh check of the same text (`check_package`, in this process, which shares nothing
with the server's).
"""
from __future__ import annotations

from lsprotocol import types
from support import Session, byte_range, range_of

from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

FUNCTIONS = 30


def many_functions() -> str:
    """Functions that each write a map; every third writes one it never made."""
    parts = ["package main", "", 'import "fmt"', ""]
    for i in range(FUNCTIONS):
        made = f"\tvar m{i} map[string]int" if i % 3 == 0 else f"\tm{i} := map[string]int{{}}"
        parts += [f"func f{i}(k string) int {{", f"\t// counts for f{i}", made, f"\tm{i}[k]++", f"\treturn len(m{i})", "}", ""]
    parts += ["func main() {", "\tfmt.Println(f1(\"a\"))", "}", ""]
    return "\n".join(parts)


def expected(files: dict[str, str], path: str, encoding: str) -> set[tuple[str, int, int, int, int]]:
    """The findings a fresh check gives for `path`, as (code, range) tuples."""
    index = PackageIndex([SourceFile(str(p), text.encode("utf-8")) for p, text in files.items()])
    report = check_package(index, [path])
    text = files[path]
    return {as_tuple(str(d.rule), byte_range(text, d.span.start, d.span.end, encoding)) for d in report.diagnostics}


def as_tuple(code: str, rng: types.Range) -> tuple[str, int, int, int, int]:
    return (code, rng.start.line, rng.start.character, rng.end.line, rng.end.character)


def found(diagnostics: list[types.Diagnostic]) -> set[tuple[str, int, int, int, int]]:
    return {as_tuple(str(d.code), d.range) for d in diagnostics}


async def test_edits_inside_one_function_keep_every_function_right(session: Session) -> None:
    uri = session.open("main.go", many_functions())
    path = str(session.root / "main.go")

    async def check() -> set:
        want = expected({path: session.texts[uri]}, path, session.encoding)
        assert found(await session.diagnostics(uri)) == want
        return want

    opened = await check()
    assert len([f for f in opened if f[0] == "NM001"]) == FUNCTIONS // 3
    # Make the map in the middle function: its finding goes, the others stay where they are.
    text = session.texts[uri]
    session.change(uri, range_of(text, "\tvar m15 map[string]int", session.encoding), "\tm15 := make(map[string]int)")
    assert len(await check()) == len(opened) - 1
    # Lines added at the top of an early function move every finding below them.
    session.insert(uri, "func f3(k string) int {", "\n\tif k == \"\" {\n\t\treturn 0\n\t}")
    moved = await check()
    assert {f[1] for f in moved} != {f[1] for f in opened}
    # Typing in a comment, a character at a time.
    for _ in range(3):
        session.insert(uri, "// counts for f20", "x")
        assert await check() == moved
    # A bug typed into a function that had none.
    session.change(uri, range_of(session.texts[uri], "\tm10 := map[string]int{}", session.encoding), "\tvar m10 map[string]int")
    assert len(await check()) == len(moved) + 1


TYPES = """package main

type Registry struct {
	name  string
	items map[int]int
}

func NewRegistry(name string) *Registry {
	return &Registry{name: name}
}
"""

OTHER = """package main

func (r *Registry) Add() {
	r.items[0] = 1
}

func main() {
	r := NewRegistry("x")
	r.Add()
}
"""


async def test_a_struct_edit_rechecks_the_methods_of_other_files(session: Session) -> None:
    types_uri = session.open("types.go", TYPES)
    other_uri = session.open("other.go", OTHER)
    paths = {str(session.root / "types.go"): types_uri, str(session.root / "other.go"): other_uri}

    def want(path: str) -> set:
        return expected({p: session.texts[u] for p, u in paths.items()}, path, session.encoding)

    async def check() -> None:
        for path, uri in paths.items():
            wanted = want(path)
            assert found(await session.diagnostics_until(uri, lambda ds, wanted=wanted: found(ds) == wanted)) == wanted

    other = str(session.root / "other.go")
    assert {f[0] for f in want(other)} == {"NM003"}  # `r.Add()` writes the map the constructor left nil
    await check()
    # The field becomes an array: the same write is fine, in both files.
    session.change(types_uri, range_of(TYPES, "items map[int]int", session.encoding), "items [8]int")
    assert want(other) == set()
    await check()
    # And a map again: the method's write is a finding again.
    session.change(types_uri, range_of(session.texts[types_uri], "items [8]int", session.encoding), "items map[int]int")
    assert want(other) != set()
    await check()
    # The constructor makes the map: a method's dependency changed, its finding goes.
    constructor = "return &Registry{name: name}"
    session.change(types_uri, range_of(session.texts[types_uri], constructor, session.encoding), "return &Registry{name: name, items: map[int]int{}}")
    assert want(other) == set()
    await check()
