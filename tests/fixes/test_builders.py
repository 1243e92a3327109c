"""Unit tests of the fix builders on small Go programs, judged by the Go toolchain.

Each case asserts the exact fixed bytes and title. All cases are then written as
packages of one module (before and after the fix) and checked in a few batched go
commands: the fixed code is gofmt-clean and passes `go vet`, and a runnable case panics
with `assignment to entry in nil map` before the fix and exits 0 after it.
"""
from __future__ import annotations

import re
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import gotool
import pytest
from gosnippets import apply_one, node_at

from analyzers.fixes import builders as B
from analyzers.model import Applicability, Fix
from analyzers.source import SourceFile


def go(text: str) -> str:
    """Go source written indented with four spaces in this file, with gofmt's tabs."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines(keepends=True)
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        out.append("\t" * ((len(line) - len(stripped)) // 4) + stripped)
    return "".join(out)


@dataclass(frozen=True)
class Case:
    id: str
    before: str
    build: Callable[[SourceFile], Fix | None]
    after: str
    title: str
    runnable: bool = True  # `package main` that panics before the fix


CASES = [
    Case(
        "var_local",
        go("""
            package main

            func main() {
                var m map[string]int
                m["a"] = 1
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "m map", "var_spec"), "m", "map[string]int"),
        go("""
            package main

            func main() {
                m := make(map[string]int)
                m["a"] = 1
            }
        """),
        "Initialize `m` with `make(map[string]int)`",
    ),
    Case(
        "var_named_type",
        go("""
            package main

            type Set map[string]struct{}

            func main() {
                var s Set // the set
                s["a"] = struct{}{}
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "s Set", "var_spec"), "s", "Set"),
        go("""
            package main

            type Set map[string]struct{}

            func main() {
                s := make(Set) // the set
                s["a"] = struct{}{}
            }
        """),
        "Initialize `s` with `make(Set)`",
    ),
    Case(
        "var_several_names",
        go("""
            package main

            func main() {
                var a, b, c map[string]int
                _, _ = a, c
                b["x"] = 1
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "a, b", "var_spec"), "b", "map[string]int"),
        go("""
            package main

            func main() {
                var b = make(map[string]int)
                var a, c map[string]int
                _, _ = a, c
                b["x"] = 1
            }
        """),
        "Initialize `b` with `make(map[string]int)`",
    ),
    Case(
        "var_group_in_function",
        go("""
            package main

            func main() {
                var (
                    n     int
                    count map[string]int
                    label = "x"
                )
                _, _ = n, label
                count["a"]++
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "count map", "var_spec"), "count", "map[string]int"),
        go("""
            package main

            func main() {
                var (
                    n     int
                    count = make(map[string]int)
                    label = "x"
                )
                _, _ = n, label
                count["a"]++
            }
        """),
        "Initialize `count` with `make(map[string]int)`",
    ),
    Case(
        "var_group_keep_type_column",
        go("""
            package main

            var (
                limit    int            = 3
                registry map[string]int // by name
                name     = "x"
            )

            func main() {
                _, _ = limit, name
                registry["a"] = 1
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "registry map", "var_spec"), "registry", "map[string]int"),
        go("""
            package main

            var (
                limit    int = 3
                registry     = make(map[string]int) // by name
                name         = "x"
            )

            func main() {
                _, _ = limit, name
                registry["a"] = 1
            }
        """),
        "Initialize `registry` with `make(map[string]int)`",
    ),
    Case(
        "var_group_split_names_with_comment_line",
        go("""
            package main

            var (
                // Counters.
                hits, misses map[string]int

                total int
            )

            func main() {
                _, _ = misses, total
                hits["a"]++
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "hits, misses", "var_spec"), "hits", "map[string]int"),
        go("""
            package main

            var (
                // Counters.
                hits   = make(map[string]int)
                misses map[string]int

                total int
            )

            func main() {
                _, _ = misses, total
                hits["a"]++
            }
        """),
        "Initialize `hits` with `make(map[string]int)`",
    ),
    Case(
        "var_package_level",
        go("""
            package main

            var registry map[string]func() int

            func main() {
                registry["a"] = func() int { return 1 }
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "registry map", "var_spec"), "registry", "map[string]func() int"),
        go("""
            package main

            var registry = make(map[string]func() int)

            func main() {
                registry["a"] = func() int { return 1 }
            }
        """),
        "Initialize `registry` with `make(map[string]func() int)`",
    ),
    Case(
        "var_with_nil_value",
        go("""
            package main

            func main() {
                var m, n map[int]bool = nil, nil
                _ = n
                m[1] = true
            }
        """),
        lambda f: B.make_at_var_declaration(f, node_at(f, "m, n", "var_spec"), "m", "map[int]bool"),
        go("""
            package main

            func main() {
                var m, n map[int]bool = make(map[int]bool), nil
                _ = n
                m[1] = true
            }
        """),
        "Initialize `m` with `make(map[int]bool)`",
    ),
    Case(
        "nil_assignment",
        go("""
            package main

            func main() {
                m := map[string]int{"a": 1}
                m = nil
                m["b"] = 2
            }
        """),
        lambda f: B.make_at_nil_assignment(f, node_at(f, "nil", "nil"), "map[string]int"),
        go("""
            package main

            func main() {
                m := map[string]int{"a": 1}
                m = make(map[string]int)
                m["b"] = 2
            }
        """),
        "Replace `nil` with `make(map[string]int)`",
    ),
    Case(
        "nil_conversion",
        go("""
            package main

            func main() {
                m := map[string][]int(nil)
                m["b"] = append(m["b"], 2)
            }
        """),
        lambda f: B.make_at_nil_assignment(f, node_at(f, "map[string][]int(nil)", "type_conversion_expression"), "map[string][]int"),
        go("""
            package main

            func main() {
                m := make(map[string][]int)
                m["b"] = append(m["b"], 2)
            }
        """),
        "Replace `map[string][]int(nil)` with `make(map[string][]int)`",
    ),
    Case(
        "literal_empty",
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                t := T{}
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{}", "composite_literal"), "tags", "map[string]string"),
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                t := T{tags: make(map[string]string)}
                t.tags["a"] = "b"
            }
        """),
        "Add `tags: make(map[string]string)` to the literal",
    ),
    Case(
        "literal_one_line_pointer",
        go("""
            package main

            type T struct {
                name string
                tags map[string]string
            }

            func main() {
                t := &T{name: "x"}
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "&T{", "unary_expression"), "tags", "map[string]string"),
        go("""
            package main

            type T struct {
                name string
                tags map[string]string
            }

            func main() {
                t := &T{name: "x", tags: make(map[string]string)}
                t.tags["a"] = "b"
            }
        """),
        "Add `tags: make(map[string]string)` to the literal",
    ),
    Case(
        "literal_multiline_realign",
        go("""
            package main

            type T struct {
                id          int
                name        string
                annotations map[string]string
            }

            func main() {
                t := T{
                    id:   1,
                    name: "x",
                }
                t.annotations["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{\n", "composite_literal"), "annotations", "map[string]string"),
        go("""
            package main

            type T struct {
                id          int
                name        string
                annotations map[string]string
            }

            func main() {
                t := T{
                    id:          1,
                    name:        "x",
                    annotations: make(map[string]string),
                }
                t.annotations["a"] = "b"
            }
        """),
        "Add `annotations: make(map[string]string)` to the literal",
    ),
    Case(
        "literal_multiline_trailing_comments",
        go("""
            package main

            type T struct {
                id   int
                name string
                tags map[string]string
            }

            func main() {
                t := T{
                    // identity
                    id:   1,          // first
                    name: "a longer", // second
                }
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{\n", "composite_literal"), "tags", "map[string]string"),
        go("""
            package main

            type T struct {
                id   int
                name string
                tags map[string]string
            }

            func main() {
                t := T{
                    // identity
                    id:   1,          // first
                    name: "a longer", // second
                    tags: make(map[string]string),
                }
                t.tags["a"] = "b"
            }
        """),
        "Add `tags: make(map[string]string)` to the literal",
    ),
    Case(
        "literal_after_multiline_element",
        go("""
            package main

            type T struct {
                fn     func() int
                labels map[string]string
            }

            func main() {
                t := T{
                    fn: func() int {
                        return 1
                    },
                }
                t.labels["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{\n", "composite_literal"), "labels", "map[string]string"),
        go("""
            package main

            type T struct {
                fn     func() int
                labels map[string]string
            }

            func main() {
                t := T{
                    fn: func() int {
                        return 1
                    },
                    labels: make(map[string]string),
                }
                t.labels["a"] = "b"
            }
        """),
        "Add `labels: make(map[string]string)` to the literal",
    ),
    Case(
        "literal_field_nil",
        go("""
            package main

            type T struct {
                n    int
                tags map[string]string
            }

            func main() {
                t := T{n: 1, tags: nil}
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{n", "composite_literal"), "tags", "map[string]string"),
        go("""
            package main

            type T struct {
                n    int
                tags map[string]string
            }

            func main() {
                t := T{n: 1, tags: make(map[string]string)}
                t.tags["a"] = "b"
            }
        """),
        "Set `tags` to `make(map[string]string)` in the literal",
    ),
    Case(
        "literal_positional_nil",
        go("""
            package main

            type T struct {
                n    int
                tags map[string]string
            }

            func main() {
                t := T{1, nil}
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.add_field_to_literal(f, node_at(f, "T{1", "composite_literal"), "tags", "map[string]string", field_index=1),
        go("""
            package main

            type T struct {
                n    int
                tags map[string]string
            }

            func main() {
                t := T{1, make(map[string]string)}
                t.tags["a"] = "b"
            }
        """),
        "Set `tags` to `make(map[string]string)` in the literal",
    ),
    Case(
        "constructor_return",
        go("""
            package main

            type Cache struct {
                name  string
                items map[string][]byte
            }

            func NewCache(name string) *Cache {
                return &Cache{
                    name: name,
                }
            }

            func (c *Cache) Put(k string, v []byte) { c.items[k] = v }

            func main() {
                NewCache("x").Put("a", nil)
            }
        """),
        lambda f: B.make_in_constructor(f, node_at(f, "return &Cache", "return_statement"), "items", "map[string][]byte"),
        go("""
            package main

            type Cache struct {
                name  string
                items map[string][]byte
            }

            func NewCache(name string) *Cache {
                return &Cache{
                    name:  name,
                    items: make(map[string][]byte),
                }
            }

            func (c *Cache) Put(k string, v []byte) { c.items[k] = v }

            func main() {
                NewCache("x").Put("a", nil)
            }
        """),
        "Add `items: make(map[string][]byte)` to the literal",
    ),
    Case(
        "init_after_new",
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                t := new(T) // zero value
                t.tags["a"] = "b"
            }
        """),
        lambda f: B.init_after_statement(f, node_at(f, "t := new", "short_var_declaration"), "t.tags", "map[string]string"),
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                t := new(T) // zero value
                t.tags = make(map[string]string)
                t.tags["a"] = "b"
            }
        """),
        "Initialize `t.tags` with `make(map[string]string)`",
    ),
    Case(
        "init_after_var_in_case",
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                switch x := 1; x {
                case 1:
                    var t T
                    t.tags["a"] = "b"
                }
            }
        """),
        lambda f: B.init_after_statement(f, node_at(f, "t T", "var_spec"), "t.tags", "map[string]string"),
        go("""
            package main

            type T struct {
                tags map[string]string
            }

            func main() {
                switch x := 1; x {
                case 1:
                    var t T
                    t.tags = make(map[string]string)
                    t.tags["a"] = "b"
                }
            }
        """),
        "Initialize `t.tags` with `make(map[string]string)`",
    ),
    Case(
        "guard_parameter",
        go("""
            package main

            func add(m map[string]int, k string) {
                m[k]++
            }

            func main() {
                add(nil, "a")
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, "m[k]++", "inc_statement"), "m", "map[string]int"),
        go("""
            package main

            func add(m map[string]int, k string) {
                if m == nil {
                    m = make(map[string]int)
                }
                m[k]++
            }

            func main() {
                add(nil, "a")
            }
        """),
        "Add `if m == nil` guard",
    ),
    Case(
        "guard_field_method_call",
        go("""
            package main

            import "net/http"

            type Config struct {
                Header http.Header `json:"header"`
            }

            func main() {
                var cfg Config
                for _, k := range []string{"a"} {
                    cfg.Header.Set(k, "v")
                }
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, "cfg.Header.Set", "expression_statement"), "cfg.Header", "http.Header"),
        go("""
            package main

            import "net/http"

            type Config struct {
                Header http.Header `json:"header"`
            }

            func main() {
                var cfg Config
                for _, k := range []string{"a"} {
                    if cfg.Header == nil {
                        cfg.Header = make(http.Header)
                    }
                    cfg.Header.Set(k, "v")
                }
            }
        """),
        "Add `if cfg.Header == nil` guard",
    ),
    Case(
        "guard_nested_map",
        go("""
            package main

            func main() {
                m := map[string]map[string]int{}
                a, b := "x", "y"
                m[a][b] = 1
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, "m[a][b] = 1", "assignment_statement"), "m[a]", "map[string]int"),
        go("""
            package main

            func main() {
                m := map[string]map[string]int{}
                a, b := "x", "y"
                if m[a] == nil {
                    m[a] = make(map[string]int)
                }
                m[a][b] = 1
            }
        """),
        "Add `if m[a] == nil` guard",
    ),
    Case(
        "guard_if_initializer",
        go("""
            package main

            func main() {
                var seen map[int]bool
                if seen[1] = true; len(seen) > 0 {
                    println("ok")
                }
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, "seen[1] = true", "assignment_statement"), "seen", "map[int]bool"),
        go("""
            package main

            func main() {
                var seen map[int]bool
                if seen == nil {
                    seen = make(map[int]bool)
                }
                if seen[1] = true; len(seen) > 0 {
                    println("ok")
                }
            }
        """),
        "Add `if seen == nil` guard",
    ),
    Case(
        "guard_labeled_for_initializer",
        go("""
            package main

            func main() {
                var m map[string]int
            outer:
                for m["i"] = 0; m["i"] < 3; m["i"]++ {
                    if m["i"] == 1 {
                        continue outer
                    }
                }
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, 'm["i"] = 0', "assignment_statement"), "m", "map[string]int"),
        go("""
            package main

            func main() {
                var m map[string]int
                if m == nil {
                    m = make(map[string]int)
                }
            outer:
                for m["i"] = 0; m["i"] < 3; m["i"]++ {
                    if m["i"] == 1 {
                        continue outer
                    }
                }
            }
        """),
        "Add `if m == nil` guard",
    ),
    Case(
        "guard_case_body",
        go("""
            package main

            func main() {
                var m map[string]int
                switch {
                case len(m) == 0:
                    m["a"] = 1
                }
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, 'm["a"] = 1', "assignment_statement"), "m", "map[string]int"),
        go("""
            package main

            func main() {
                var m map[string]int
                switch {
                case len(m) == 0:
                    if m == nil {
                        m = make(map[string]int)
                    }
                    m["a"] = 1
                }
            }
        """),
        "Add `if m == nil` guard",
    ),
    Case(
        "guard_library_package",
        go("""
            package store

            type Store struct {
                Labels map[string]string `yaml:"labels"`
            }

            func (s *Store) Label(k, v string) {
                s.Labels[k] = v
            }
        """),
        lambda f: B.lazy_guard(f, node_at(f, "s.Labels[k] = v", "assignment_statement"), "s.Labels", "map[string]string"),
        go("""
            package store

            type Store struct {
                Labels map[string]string `yaml:"labels"`
            }

            func (s *Store) Label(k, v string) {
                if s.Labels == nil {
                    s.Labels = make(map[string]string)
                }
                s.Labels[k] = v
            }
        """),
        "Add `if s.Labels == nil` guard",
        runnable=False,
    ),
]


def _build(case: Case) -> tuple[bytes, Fix]:
    file = SourceFile(f"{case.id}.go", case.before.encode())
    fix = case.build(file)
    assert fix is not None, f"{case.id}: builder gave no fix"
    return apply_one(file.source, fix), fix


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fixed_bytes(case: Case) -> None:
    out, fix = _build(case)
    assert out.decode() == case.after
    assert fix.title == case.title
    assert fix.applicability is Applicability.SAFE


def test_inputs_are_gofmt_clean(go_results: GoResults) -> None:
    assert go_results.gofmt_before == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fixed_code_is_gofmt_clean_and_vets(case: Case, go_results: GoResults) -> None:
    assert not [p for p in go_results.gofmt_after if p.startswith(f"after/{case.id}/")]
    problems = [line for line in go_results.vet_after.splitlines() if f"after/{case.id}/" in line]
    assert problems == []


@pytest.mark.parametrize("case", [c for c in CASES if c.runnable], ids=lambda c: c.id)
def test_panics_before_and_runs_after(case: Case, go_results: GoResults) -> None:
    code, stderr = go_results.run_before[case.id]
    assert code == 2 and gotool.NIL_MAP_PANIC in stderr, stderr
    code, stderr = go_results.run_after[case.id]
    assert code == 0, stderr


@dataclass
class GoResults:
    gofmt_before: list[str]
    gofmt_after: list[str]
    vet_after: str
    run_before: dict[str, tuple[int, str]]
    run_after: dict[str, tuple[int, str]]


@pytest.fixture(scope="module")
def go_results(tmp_path_factory: pytest.TempPathFactory) -> GoResults:
    """Every case, before and after its fix, as packages of one module, checked in batch."""
    root = tmp_path_factory.mktemp("builders")
    files: dict[str, bytes] = {}
    for case in CASES:
        # Each case is a package named after its id, and its binary after the package.
        assert re.fullmatch(r"[a-z0-9_]+", case.id), f"{case.id!r} cannot name a package directory"
        out, _ = _build(case)
        files[f"before/{case.id}/main.go"] = case.before.encode()
        files[f"after/{case.id}/main.go"] = out
    gotool.write_module(root, files)
    gofmt = gotool.gofmt_l(root)
    _, vet = gotool.go_vet(root, "./after/...")
    runs: dict[str, dict[str, tuple[int, str]]] = {}
    for side in ("before", "after"):
        bin_dir = root / f"bin-{side}"
        bin_dir.mkdir()
        code, output = gotool.go_build_into(root, f"./{side}/...", bin_dir)
        # A case that does not build fails the run checks below with this output.
        runs[side] = {}
        for case in CASES:
            if not case.runnable:
                continue
            exe = bin_dir / case.id
            if not exe.exists():
                runs[side][case.id] = (-1, output)
                continue
            done = subprocess.run([str(exe)], capture_output=True, text=True, timeout=60, check=False)
            runs[side][case.id] = (done.returncode, done.stderr)
    return GoResults(
        gofmt_before=[p for p in gofmt if p.startswith("before/")],
        gofmt_after=[p for p in gofmt if not p.startswith("before/")],
        vet_after=vet,
        run_before=runs["before"],
        run_after=runs["after"],
    )


# Cases where a builder must decline, because the edit would not compile or would not
# run before the write.
DECLINED = [
    (
        "guard_for_post_statement",
        "package p\n\nfunc f(m map[int]int) {\n\tfor i := 0; i < 3; m[i] = i {\n\t\ti++\n\t}\n}\n",
        lambda f: B.lazy_guard(f, node_at(f, "m[i] = i", "assignment_statement"), "m", "map[int]int"),
    ),
    (
        "guard_else_if_initializer",
        "package p\n\nfunc f(m map[int]int, c bool) {\n\tif c {\n\t} else if m[1] = 1; c {\n\t}\n}\n",
        lambda f: B.lazy_guard(f, node_at(f, "m[1] = 1", "assignment_statement"), "m", "map[int]int"),
    ),
    (
        "guard_one_line_closure",
        "package p\n\nfunc f(m map[int]int) func() {\n\treturn func() { m[1] = 1 }\n}\n",
        lambda f: B.lazy_guard(f, node_at(f, "m[1] = 1", "assignment_statement"), "m", "map[int]int"),
    ),
    (
        "init_after_if_initializer",
        "package p\n\ntype T struct{ m map[int]int }\n\nfunc f() {\n\tif t := new(T); t != nil {\n\t}\n}\n",
        lambda f: B.init_after_statement(f, node_at(f, "t := new", "short_var_declaration"), "t.m", "map[int]int"),
    ),
    (
        "init_after_package_var",
        "package p\n\ntype T struct{ m map[int]int }\n\nvar t T\n",
        lambda f: B.init_after_statement(f, node_at(f, "t T", "var_spec"), "t.m", "map[int]int"),
    ),
    (
        "literal_field_already_set",
        "package p\n\ntype T struct{ m map[int]int }\n\nvar t = T{m: other()}\n\nfunc other() map[int]int { return nil }\n",
        lambda f: B.add_field_to_literal(f, node_at(f, "T{m", "composite_literal"), "m", "map[int]int"),
    ),
    (
        "literal_positional_not_nil",
        "package p\n\ntype T struct{ m map[int]int }\n\nvar x map[int]int\nvar t = T{x}\n",
        lambda f: B.add_field_to_literal(f, node_at(f, "T{x", "composite_literal"), "m", "map[int]int", field_index=0),
    ),
    (
        "literal_positional_without_index",
        "package p\n\ntype T struct{ m map[int]int }\n\nvar t = T{nil}\n",
        lambda f: B.add_field_to_literal(f, node_at(f, "T{nil", "composite_literal"), "m", "map[int]int"),
    ),
    (
        "var_initialised_otherwise",
        "package p\n\nfunc f() {\n\tvar m map[int]int = g()\n\tm[1] = 1\n}\n\nfunc g() map[int]int { return nil }\n",
        lambda f: B.make_at_var_declaration(f, node_at(f, "m map", "var_spec"), "m", "map[int]int"),
    ),
    (
        "var_name_not_declared_here",
        "package p\n\nvar m map[int]int\n",
        lambda f: B.make_at_var_declaration(f, node_at(f, "m map", "var_spec"), "n", "map[int]int"),
    ),
    (
        "var_group_multiline_spec",
        "package p\n\nvar (\n\tm map[int]int\n\tf = func() {\n\t}\n)\n",
        lambda f: B.make_at_var_declaration(f, node_at(f, "m map", "var_spec"), "m", "map[int]int"),
    ),
]


@pytest.mark.parametrize("source,build", [(s, b) for _, s, b in DECLINED], ids=[i for i, _, _ in DECLINED])
def test_declined(source: str, build: Callable[[SourceFile], Fix | None]) -> None:
    assert build(SourceFile("x.go", source.encode())) is None


def test_unsafe_applicability_is_kept() -> None:
    file = SourceFile("x.go", CASES[0].before.encode())
    spec = node_at(file, "m map", "var_spec")
    fix = B.make_at_var_declaration(file, spec, "m", "map[string]int", applicability=Applicability.UNSAFE)
    assert fix is not None and fix.applicability is Applicability.UNSAFE


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_titles_are_imperative_with_backquoted_code(case: Case) -> None:
    _, fix = _build(case)
    assert re.fullmatch(r"[A-Z][a-z]+ .*`.+`.*", fix.title), fix.title
    assert not fix.title.endswith(".")
