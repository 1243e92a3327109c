"""A package edited the ways an editor edits it, checked as the server checks it (the same
`FunctionCache` across checks, unchanged files kept with what was derived from them), always
finds exactly what a fresh check of the edited package finds.

What is kept across checks besides the per-function results: which functions of a file are
analysed (by the prefilter's package facts), function results
(`result_store`), the prefilter's verdicts by the package's type tokens, NM003's per-file
answers (which fields the code sets, which types are built positionally) and the uses of
package variables. Each edit below changes one thing those depend on, or nothing they read.
"""
from __future__ import annotations

import pathlib
import re
from collections.abc import Callable

import pytest

from analyzers.checker import check_package
from analyzers.flow.answer_order import AnswerOrder
from analyzers.flow.cache import FunctionCache
from analyzers.index import PackageIndex
from analyzers.rule import Settings
from analyzers.source import SourceFile
from tests.fixture_support import go_files, scenarios

EVERY_RULE = Settings(select=frozenset({"NM"}))

TYPES = b"""package shop

// Cart holds what a customer picked.
type Cart struct {
	name string
	// items by name
	items map[string]int
	tags  map[string]bool
}

// Ledger records entries.
type Ledger struct {
	entries map[string]int
}

var registry map[string]*Cart

type counts map[int]int

var fallback = newCart("fallback")
"""

BUILD = b"""package shop

// newCart builds a cart.
func newCart(name string) *Cart {
	return &Cart{name: name}
}

func newLedger() *Ledger {
	return &Ledger{}
}

func grab() []int {
	return make([]int, 1)
}

func lookup(name string) map[string]int {
	if name == "" {
		return nil
	}
	return map[string]int{name: 1}
}
"""

USE = b"""package shop

func (c *Cart) add(k string) {
	c.items[k]++
}

func (c *Cart) tag(k string) {
	if c.tags == nil {
		c.tags = map[string]bool{}
	}
	c.tags[k] = true
}

func (l *Ledger) record(k string) {
	l.entries[k] = 1
}

func register(name string) {
	registry[name] = newCart(name)
}

func count(name string) {
	m := lookup(name)
	m[name]++
}

func bump(c counts, k int) {
	c[k]++
}

func seed() {
	bump(nil, 1)
}

func fill() {
	g := grab()
	g[0] = 1
}

func main() {
	c := newCart("a")
	c.add("x")
	c.tag("y")
	newLedger().record("z")
	register("b")
	count("")
	fallback.add("w")
}
"""


def _found(package: PackageIndex, cache: FunctionCache | None = None) -> list[tuple]:
    return [(d.path, d.span, d.rule, d.message, d.fixes, d.related) for d in check_package(package, settings=EVERY_RULE, cache=cache).diagnostics]


def _fresh(texts: dict[str, bytes]) -> list[tuple]:
    return _found(PackageIndex(SourceFile(path, text) for path, text in texts.items()))


def _replace(old: bytes, new: bytes):
    def edit(text: bytes) -> bytes:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


# (what the edit is, the file, how its text changes)
EDITS = [
    ("a comment typed in a struct", "types.go", _replace(b"// items by name", b"// items by name, counted")),
    ("a comment typed in a constructor", "build.go", _replace(b"// newCart builds a cart.", b"// newCart builds a cart, empty.")),
    ("a line typed above the constructors", "build.go", _replace(b"package shop\n", b"package shop\n\n// Constructors.\n")),
    ("a constructor that makes the field", "build.go", _replace(b"&Cart{name: name}", b"&Cart{name: name, items: map[string]int{}}")),
    ("the constructor back as it was", "build.go", _replace(b"&Cart{name: name, items: map[string]int{}}", b"&Cart{name: name}")),
    ("a function that no longer returns nil", "build.go", _replace(b"\t\treturn nil\n", b"\t\treturn map[string]int{}\n")),
    ("the function back as it was", "build.go", _replace(b"\t\treturn map[string]int{}\n", b"\t\treturn nil\n")),
    ("a struct field renamed", "types.go", _replace(b"\titems map[string]int", b"\titemz map[string]int")),
    ("the field back as it was", "types.go", _replace(b"\titemz map[string]int", b"\titems map[string]int")),
    ("a method's write guarded", "use.go", _replace(b"\tc.items[k]++", b"\tif c.items == nil {\n\t\tc.items = map[string]int{}\n\t}\n\tc.items[k]++")),
    ("a method's write unguarded again", "use.go", _replace(b"\tif c.items == nil {\n\t\tc.items = map[string]int{}\n\t}\n\tc.items[k]++", b"\tc.items[k]++")),
    ("a body typed in", "use.go", _replace(b"\tm[name]++\n", b"\tm[name]++\n\tm[name+\"!\"]++\n")),
    ("a field set somewhere", "use.go", _replace(b"func main() {\n", b"func main() {\n\tnewLedger().entries = map[string]int{}\n")),
    ("a package variable made in init", "types.go", _replace(b"var registry map[string]*Cart\n", b"var registry map[string]*Cart\n\nfunc init() { registry = map[string]*Cart{} }\n")),
    # `fill` (in use.go, unchanged) is analysed only once `grab` is a word that can bring nil.
    ("a function now returning a map, nil", "build.go", _replace(b"func grab() []int {\n\treturn make([]int, 1)", b"func grab() map[int]int {\n\treturn nil")),
    ("the function returning a slice again", "build.go", _replace(b"func grab() map[int]int {\n\treturn nil", b"func grab() []int {\n\treturn make([]int, 1)")),
    # `bump` (in use.go, unchanged) writes a map parameter, which `seed` passes nil, only while
    # `counts` is a map.
    ("a named map type made a slice", "types.go", _replace(b"type counts map[int]int", b"type counts []int")),
    ("the named type a map again", "types.go", _replace(b"type counts []int", b"type counts map[int]int")),
    ("a constructor added in a new place", "build.go", _replace(b"func newLedger", b"func newEmptyCart() *Cart {\n\treturn &Cart{}\n}\n\nfunc newLedger")),
]


def test_every_edit_finds_what_a_fresh_check_finds() -> None:
    texts = {"types.go": TYPES, "build.go": BUILD, "use.go": USE}
    package = PackageIndex(SourceFile(path, text) for path, text in texts.items())
    cache = FunctionCache()
    first = _found(package, cache)
    assert first == _fresh(texts)
    assert {rule for _, _, rule, *_ in first} >= {"NM001", "NM003"}  # the package has findings to keep right
    kept_results = 0
    for what, path, edit in EDITS:
        texts[path] = edit(texts[path])
        package.update(SourceFile(path, texts[path]))
        hits = cache.summary_hits
        assert _found(package, cache) == _fresh(texts), what
        kept_results += cache.summary_hits - hits
    assert kept_results > 0  # some function results were served, not computed again


def test_findings_change_with_the_edits_that_change_them() -> None:
    """The comparison above is not empty-handed: the edits that matter change the findings."""
    texts = {"types.go": TYPES, "build.go": BUILD, "use.go": USE}
    before = {message for _, _, _, message, *_ in _fresh(texts)}
    made = dict(texts, **{"build.go": BUILD.replace(b"&Cart{name: name}", b"&Cart{name: name, items: map[string]int{}}")})
    assert before != {message for _, _, _, message, *_ in _fresh(made)}
    never_nil = dict(texts, **{"build.go": BUILD.replace(b"\t\treturn nil\n", b"\t\treturn map[string]int{}\n")})
    assert before != {message for _, _, _, message, *_ in _fresh(never_nil)}


STRUCTS = b"""package main

type Base struct {
	labels map[string]string
	id     int
}

type Store struct {
	Base
	name  string
	items map[string]int
	tags  map[string]bool
}

type Pair struct {
	a map[string]int
	b map[string]int
}
"""

STRUCT_BUILD = b"""package main

func newStore(name string) *Store {
	return &Store{name: name}
}

func newPair() *Pair {
	return &Pair{nil, map[string]int{}}
}

type Pairs []Pair

func firstPair() Pair {
	ps := Pairs{{nil, map[string]int{}}}
	return ps[0]
}
"""

STRUCT_USE = b"""package main

func (b *Base) label(k, v string) {
	b.labels[k] = v
}

func (s *Store) add(k string) {
	s.items[k]++
}

func (s *Store) tag(k string) {
	if s.tags == nil {
		s.tags = map[string]bool{}
	}
	s.tags[k] = true
}

func (s *Store) relabel(k string) {
	s.labels[k] = "x"
}

func (p *Pair) put(k string) {
	p.a[k] = 1
}

func main() {
	s := newStore("a")
	s.add("x")
	s.tag("y")
	s.label("k", "v")
	s.relabel("z")
	s.mark("m")
	newPair().put("q")
	p := firstPair()
	p.put("w")
	var z Store
	z.items["k"] = 1
}
"""

# A function depends on what it can observe of a struct: the fields its code names, every
# field's type, embedded fields whole, and every field of a struct it builds with a literal.
STRUCT_EDITS = [
    ("a field no code names renamed", "types.go", _replace(b"\tid     int", b"\tident  int")),
    ("a field a method writes renamed", "types.go", _replace(b"\titems map[string]int", b"\titemz map[string]int")),
    ("the written field back", "types.go", _replace(b"\titemz map[string]int", b"\titems map[string]int")),
    ("a map field added", "types.go", _replace(b"\ttags  map[string]bool\n", b"\ttags  map[string]bool\n\textra map[string]int\n")),
    ("a map field removed", "types.go", _replace(b"\ttags  map[string]bool\n", b"")),
    ("the removed field back", "types.go", _replace(b"\textra map[string]int\n", b"\ttags  map[string]bool\n")),
    ("a promoted field renamed in the embedded struct", "types.go", _replace(b"\tlabels map[string]string", b"\tlabelz map[string]string")),
    ("the promoted field back", "types.go", _replace(b"\tlabelz map[string]string", b"\tlabels map[string]string")),
    ("the embedded struct held by pointer", "types.go", _replace(b"\tBase\n", b"\t*Base\n")),
    ("the embedded struct by value again", "types.go", _replace(b"\t*Base\n", b"\tBase\n")),
    ("a method promoted from the embedded struct added", "use.go", _replace(b"func (s *Store) add", b"func (b *Base) mark(k string) {\n\tb.labels[k] = k\n}\n\nfunc (s *Store) add")),
    ("the fields positional literals set swapped by name", "types.go", _replace(b"\ta map[string]int\n\tb map[string]int", b"\tb map[string]int\n\ta map[string]int")),
    ("the names back in place", "types.go", _replace(b"\tb map[string]int\n\ta map[string]int", b"\ta map[string]int\n\tb map[string]int")),
    ("a field only positional literals set renamed", "types.go", _replace(b"\tb map[string]int", b"\tc map[string]int")),
    ("the positional literal's field named as the written one", "types.go", _replace(b"\ta map[string]int\n\tc map[string]int", b"\tc map[string]int\n\ta map[string]int")),
    ("a keyed literal setting the written field", "build.go", _replace(b"&Store{name: name}", b"&Store{name: name, items: map[string]int{}}")),
    ("the written field renamed under the keyed literal", "types.go", _replace(b"\titems map[string]int", b"\titemz map[string]int")),
]


def test_struct_edits_find_what_a_fresh_check_finds() -> None:
    texts = {"types.go": STRUCTS, "build.go": STRUCT_BUILD, "use.go": STRUCT_USE}
    package = PackageIndex(SourceFile(path, text) for path, text in texts.items())
    cache = FunctionCache()
    assert _found(package, cache) == _fresh(texts)
    seen = {tuple(_fresh(texts))}
    for what, path, edit in STRUCT_EDITS:
        texts[path] = edit(texts[path])
        package.update(SourceFile(path, texts[path]))
        found = _found(package, cache)
        assert found == _fresh(texts), what
        seen.add(tuple(found))
    assert len(seen) >= 6  # the edits change the findings: the comparison is not empty-handed


def test_a_struct_built_by_position_changes_with_its_field_names() -> None:
    """`&Pair{nil, map[string]int{}}` leaves the first field nil whatever it is called: the
    write into `a` is a finding, and after `a` and `b` swap names it is not."""
    texts = {"types.go": STRUCTS, "build.go": STRUCT_BUILD, "use.go": STRUCT_USE}
    swapped = dict(texts, **{"types.go": STRUCTS.replace(b"\ta map[string]int\n\tb map[string]int", b"\tb map[string]int\n\ta map[string]int")})
    assert [message for _, _, _, message, *_ in _fresh(texts) if "`p.a`" in message]
    assert not [message for _, _, _, message, *_ in _fresh(swapped) if "`p.a`" in message]


def _typed_in_first_struct(source: bytes) -> bytes | None:
    at = source.find(b" struct {\n")
    if at < 0:
        return None
    opening = at + len(b" struct {\n")
    return source[:opening] + b"\t// typed here\n" + source[opening:]


def _first_map_field_renamed(source: bytes) -> bytes | None:
    at = source.find(b" struct {\n")
    end = source.find(b"\n}", at)
    field = re.compile(rb"^\t(\w+)\s+map\[", re.MULTILINE).search(source, at, end) if at >= 0 and end >= 0 else None
    if field is None:
        return None
    return source[: field.end(1)] + b"x" + source[field.end(1) :]


def _first_other_field_renamed(source: bytes) -> bytes | None:
    """The first named field of the first struct that is not a map, renamed."""
    at = source.find(b" struct {\n")
    end = source.find(b"\n}", at)
    field = re.compile(rb"^\t(\w+)\s+(?!map\[)\S", re.MULTILINE).search(source, at, end) if at >= 0 and end >= 0 else None
    if field is None:
        return None
    return source[: field.end(1)] + b"x" + source[field.end(1) :]


def _map_field_added(source: bytes) -> bytes | None:
    at = source.find(b" struct {\n")
    if at < 0:
        return None
    opening = at + len(b" struct {\n")
    return source[:opening] + b"\ttypedHere map[string]int\n" + source[opening:]


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_struct_edits_on_every_fixture(scenario: pathlib.Path) -> None:
    """A comment typed in the first struct, then its first map field renamed, then both undone;
    then its first other field renamed, and a map field added."""
    texts = {str(p): p.read_bytes() for p in go_files(scenario)}
    package = PackageIndex(SourceFile(path, text) for path, text in texts.items())
    cache = FunctionCache()
    assert _found(package, cache) == _fresh(texts)
    path = next((p for p, text in texts.items() if b" struct {\n" in text), None)
    if path is None:
        path = sorted(texts)[0]
        edits = [texts[path].replace(b"\n", b"\n// typed here\n", 1)]
    else:
        original = texts[path]
        commented = _typed_in_first_struct(original) or original
        renamed = _first_map_field_renamed(commented) or commented
        other = _first_other_field_renamed(original) or original
        edits = [commented, renamed, commented, original, other, _map_field_added(other) or other, original]
    for text in edits:
        texts[path] = text
        package.update(SourceFile(path, text))
        assert _found(package, cache) == _fresh(texts)


RECURSIVE = b"""package main

type T struct {
	m map[string]int
}

func a(n int) *T {
	if n == 0 {
		return &T{}
	}
	return b(n - 1)
}

func b(n int) *T {
	if n == 0 {
		return &T{m: map[string]int{}}
	}
	return a(n - 1)
}

func (t *T) put(k string) {
	t.m[k] = 1
}

func main() {
	a(3).put("x")
	b(2).put("y")
}
"""


def test_results_of_mutually_recursive_functions_are_computed_each_check() -> None:
    """What a() returns depends on b()'s and the other way round: whichever is asked first
    sees the other's recursion guard, so neither answer is kept; edits in either still find
    what a fresh check finds."""
    texts = {"main.go": RECURSIVE}
    package = PackageIndex([SourceFile("main.go", RECURSIVE)])
    cache = FunctionCache()
    assert _found(package, cache) == _fresh(texts)
    edits = [
        _replace(b"func a(n int) *T {", b"// a alternates with b.\nfunc a(n int) *T {"),
        _replace(b"&T{m: map[string]int{}}", b"&T{}"),
        _replace(b"\t\treturn &T{}\n\t}\n\treturn b", b"\t\treturn &T{m: map[string]int{}}\n\t}\n\treturn b"),
    ]
    for edit in edits:
        texts["main.go"] = edit(texts["main.go"])
        package.update(SourceFile("main.go", texts["main.go"]))
        assert _found(package, cache) == _fresh(texts)


def test_an_answer_a_recursion_guard_reached_depends_on_the_order() -> None:
    order = AnswerOrder()
    with order.computing("outer"):
        with order.computing("inner"):
            order.reused("outer")  # the guard answers for "outer" while it is computed
        with order.computing("beside"):
            pass
    with order.computing("later"):
        order.reused("inner")  # built on an answer the guard reached
    with order.computing("clean"):
        order.reused("beside")
    assert [order.depends_on_order(k) for k in ("outer", "inner", "beside", "later", "clean")] == [True, True, False, True, False]


def _tallies(count: int) -> bytes:
    """A file of functions that each write a map nil on one path (a finding each, with a
    condition on a parameter and a branch the nil has entered), and a caller handing one of
    them nil, whose finding points into the callee."""
    parts = [b"package main\n"]
    for i in range(count):
        parts.append(
            b"func tally%d(xs []string, fresh bool) map[string]int {\n"
            b"\t// counts each word\n"
            b"\tvar counts map[string]int\n"
            b"\tif fresh {\n"
            b"\t\tcounts = make(map[string]int)\n"
            b"\t}\n"
            b"\tfor _, x := range xs {\n"
            b"\t\tcounts[x]++\n"
            b"\t}\n"
            b"\treturn counts\n"
            b"}\n" % i
        )
    parts.append(b"func put(m map[string]int, k string) {\n\tm[k] = 1\n}\n")
    parts.append(b"func main() {\n\tput(nil, \"k\")\n\t_ = tally0(nil, true)\n}\n")
    return b"\n".join(parts)


def _typed_in(function: int, typed: bytes) -> Callable[[bytes], bytes]:
    """Text typed at the end of the comment line of `tally<function>`."""
    return _replace(b"func tally%d(xs []string, fresh bool) map[string]int {\n\t// counts each word" % function, b"func tally%d(xs []string, fresh bool) map[string]int {\n\t// counts each word" % function + typed)


def test_cached_findings_are_placed_where_a_fresh_check_finds_them() -> None:
    """Edits above many cached findings, then below them, then among them, each re-analysing
    one function: the others' results, kept at different checks, are placed in the new tree,
    and every finding's range, message, fixes and related information are a fresh check's."""
    texts = {"main.go": _tallies(12)}
    package = PackageIndex([SourceFile("main.go", texts["main.go"])])
    cache = FunctionCache()
    assert _found(package, cache) == _fresh(texts)
    edits = [
        _typed_in(0, b"x"),  # above every other finding: all of them move
        _typed_in(11, b"y"),  # below every other finding: none moves
        _typed_in(0, b"x"),
        _typed_in(6, b" in the middle"),  # the results kept at the checks before, placed together
        _replace(b"\t// counts each wordx", b"\t// counts"),  # shorter: the findings below move back
        _typed_in(3, b"\n\t// a line more"),  # the lines below move too
        _replace(b"func tally5(", b"func tallyFive("),  # one function's text changes, so its result does
        _replace(b"func put(m map[string]int, k string) {\n", b"// put writes m.\nfunc put(m map[string]int, k string) {\n"),
    ]
    for edit in edits:
        texts["main.go"] = edit(texts["main.go"])
        package.update(SourceFile("main.go", texts["main.go"]))
        misses, stale = cache.misses, cache.stale
        found = _found(package, cache)
        assert found == _fresh(texts)
        assert len(found) >= 13
        assert cache.misses - misses <= 2 and cache.stale == stale  # the others were placed, not analysed again


REGISTRY = {
    "types.go": b"""package reg

// Registry holds items and tags.
type Registry struct {
	name  string
	items map[string]int
	tags  map[string]bool
}

func helper(m map[string]int) {
	m["h"] = 1
}

func (r *Registry) size() int {
	return len(r.items)
}
""",
    "items.go": b"""package reg

func (r *Registry) add(k string) {
	r.items[k]++
}

func (r *Registry) ensure(k string) {
	if r.items == nil {
		r.items = map[string]int{}
	}
	r.items[k] = 1
}
""",
    "tags.go": b"""package reg

func (r *Registry) tag(k string) {
	r.tags[k] = true
}

func (r *Registry) untag(k string) {
	var seen map[string]bool
	seen[k] = r.tags[k]
}
""",
    "mixed.go": b"""package reg

func (r *Registry) count(k string) {
	var seen map[string]int
	seen[k] = len(r.items)
}

func (r *Registry) mark(k string) {
	var marks map[string]bool
	marks[k] = r.tags[k]
}
""",
    "build.go": b"""package reg

func newRegistry() *Registry {
	return &Registry{name: "r"}
}

func fill() {
	r := newRegistry()
	r.items["a"] = 1
}
""",
    "calls.go": b"""package reg

func useHelper() {
	var m map[string]int
	helper(m)
}

type List struct {
	m map[string]int
}

func (l *List) size() int {
	var seen map[string]bool
	seen["size"] = true
	return len(l.m)
}

func (l *List) put(k string) {
	var counts map[string]int
	counts[k] = l.size()
	l.m[k] = 1
}
""",
}

# (the edit of types.go, the files not served whole: a changed name some of their functions
# reach gives them another digest; how many functions are analysed again: those, unless a
# result kept for an earlier state holds, `analysis.VARIANTS`)
REGISTRY_EDITS = [
    ("a field no method names renamed (build.go builds the struct)", _replace(b"\tname  string", b"\tnamex string"), {"build.go"}, 1),
    ("a field tags.go observes renamed", _replace(b"\ttags  map[string]bool", b"\ttagz  map[string]bool"), {"build.go", "tags.go", "mixed.go"}, 3),
    ("the field back", _replace(b"\ttagz  map[string]bool", b"\ttags  map[string]bool"), {"build.go", "tags.go", "mixed.go"}, 0),
    ("a function calls.go calls changed", _replace(b'm["h"] = 1', b'm["h"] = 2'), {"calls.go"}, 1),
    ("a method named as one of calls.go changed", _replace(b"return len(r.items)", b"return len(r.items) + 1"), {"calls.go"}, 2),
    ("a comment typed in the struct", _replace(b"\tname", b"\t// named\n\tname"), set(), 0),
    ("a comment typed above it", _replace(b"// Registry holds", b"// Registry, typed in, holds"), set(), 0),
]


def test_unchanged_files_are_served_whole_while_what_they_reach_gives_the_same() -> None:
    """After an edit of types.go, each other file's results kept at the last check are served
    together (no function looked up, checked or placed one by one) when every changed name its
    functions reach gives them the digest it gave then; a file where one does not is analysed
    again function by function. Every check finds what a fresh check finds."""
    texts = dict(REGISTRY)
    package = PackageIndex(SourceFile(path, text) for path, text in texts.items())
    cache = FunctionCache()
    assert _found(package, cache) == _fresh(texts)
    others = sorted(set(texts) - {"types.go"})
    for what, edit, not_whole, analysed in REGISTRY_EDITS:
        texts["types.go"] = edit(texts["types.go"])
        package = package.fork()  # (a new version of the package, as the server's index makes)
        package.update(SourceFile("types.go", texts["types.go"]))
        before = {path: cache.file_results(path) for path in others}
        assert all(kept is not None for kept in before.values()), what
        stale = cache.stale
        assert _found(package, cache) == _fresh(texts), what
        whole = {path for path in others if cache.file_results(path) is before[path]}
        assert whole == set(others) - not_whole, what
        assert cache.stale - stale == analysed, what
