"""The prefilter decides which functions are interpreted at all: it may let too many
through, never too few. These pin the cases it skips and the ones it must not."""
from __future__ import annotations

import pytest

from analyzers.flow.summaries import PackageFlow
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

PACKAGE = b"""package p

type Holder struct {
	m map[string]int
}
"""


@pytest.fixture(scope="module")
def prefilter_and_flow():
    flow = PackageFlow(PackageIndex([SourceFile("p.go", PACKAGE)]))
    return flow.prefilter(), flow


@pytest.mark.parametrize(
    "body, root, may_be_nil",
    [
        (b"m := make(map[string]int)\nm[k] = 1", "m", False),
        (b"m := map[string]int{}\nm[k] = 1", "m", False),
        (b"xs := make([]int, n)\nxs[0] = 1", "xs", False),
        (b"parts := strings.Split(s, \",\")\nparts[0] = \"\"", "parts", False),
        (b"m := make(map[string]map[string]int)\nm[a][b] = 1", "m", True),
        (b"byKey := map[string]Holder{}\nbyKey[k].m[x] = 1", "byKey", True),
        (b"hs := make([]Holder, 2)\nhs[0].m[k] = 1", "hs", True),
        (b"ms := make([]map[string]int, 2)\nms[0][k] = 1", "ms", True),
        (b"var m map[string]int\nm[k] = 1", "m", True),
        (b"m := make(map[string]int)\nm = nil\nm[k] = 1", "m", True),
        (b"anns := obj.GetAnnotations()\nanns[k] = v", "anns", True),
        (b"seen, m := map[string]bool{}, map[string]int(nil)\nm[k] = 1", "m", True),  # each name its own value
        (b"m, seen := map[string]int{}, map[string]bool(nil)\nm[k] = 1", "m", False),
        (b"a, m, b := f(x, y), make(map[string]int), g()\nm[k] = 1", "m", False),
        (b"m, err := load()\nm[k] = 1", "m", True),  # one call's results
        (b"registry[k] = v", "registry", True),  # assigned nowhere here: a package variable, say
        (b"\\u6620\\u5c04 := lookup()\n\\u6620\\u5c04[k] = 1".decode("unicode_escape").encode(), "\u6620\u5c04", True),
    ],
)
def test_roots(prefilter_and_flow, body: bytes, root: str, may_be_nil: bool) -> None:
    prefilter, flow = prefilter_and_flow
    assert prefilter.may_be_nil_local(b"func f() {\n" + body + b"\n}", root, flow) is may_be_nil


WRITERS = b"""package p

func record(counts map[string]int, w string) { counts[w]++ }

func recordAll(counts map[string]int, ws []string) {
	for _, w := range ws {
		record(counts, w)
	}
}

func readOnly(counts map[string]int) int { return counts["a"] }

func caller() {
	var c map[string]int
	recordAll(c, nil)
}

func reader() {
	var c map[string]int
	_ = readOnly(c)
}
"""


def test_callers_of_parameter_writers_are_kept() -> None:
    """A call of a function that writes its map parameter, directly or through another, is a write."""
    file = SourceFile("w.go", WRITERS)
    flow = PackageFlow(PackageIndex([file]))
    assert flow.parameter_writers == {"record", "recordAll"}
    kept = {node.child_by_field_name("name").text.decode() for node in file.functions if node.start_byte in flow.prefilter().functions_with_writes(file, flow)}
    assert kept == {"recordAll", "caller"}  # record writes only its own parameter
    assert flow.function_summary("readOnly") is None
    assert set(flow.function_summary("recordAll").writes) == {0}


def test_a_long_function_queried_by_statement_finds_what_one_query_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long function's writes are found statement by statement (each kept by its text);
    they are the writes one query over the whole function finds, the signature's included,
    and a statement that did not parse is queried where it is."""
    from analyzers.flow import prefilter
    from analyzers.parsing import parse

    monkeypatch.setattr(prefilter, "STATEMENTS_QUERIED_APART", 2)
    source = b"""package p

func f(a [unsafe.Sizeof(h.Len())]int, m map[string]int) {
	m["a"] = 1
	// m["comment"] = 1
	h.Set("k", 1)
	if x := m; x != nil {
		x["b"]++
	}
	go func() { n[1] = 2 }()
	s.items[k] += 1
	w[1 +] = 2
}

func g(m map[string]int) {
	m["a"] = 1
}
"""
    functions = [node for node in parse(source).root_node.named_children if node.type == "function_declaration"]
    found = prefilter.writes_of(functions[0])
    assert found == prefilter._writes_in(functions[0])
    assert {("m", ""), ("h", "Len"), ("h", "Set"), ("x", ""), ("n", ""), ("s", "")} <= found
    assert prefilter.writes_of(functions[1]) == {("m", "")}  # (two statements or fewer: one query)


CHAIN = b"""package p

type Tally struct {
	counts map[string]int
	h      http.Header
}

func (t *Tally) bump(k string)   { t.counts[k]++ }
func (t *Tally) Record(k string) { t.bump(k) }
func (t *Tally) Tag(k string)    { t.h.Set(k, "1") }
func (t *Tally) Len() int        { return len(t.counts) }
func (t *Tally) Size() int       { return t.Len() }
func store(t *Tally, k string)   { t.Record(k) }
func (t *Tally) Put(k string)    { store(t, k) }

func useLen() {
	t := &Tally{}
	_ = t.Size()
}

func useRecord() {
	t := &Tally{}
	t.Put("a")
}
"""


def test_only_methods_that_may_write_a_map_count_as_writes() -> None:
    """A call of a same-package method is a write only when the method, or something it calls
    by name, writes a map: `Len` and `Size` only read, `Put` reaches `bump` through a function."""
    from analyzers.flow.map_writers import library_writers, map_writing_names

    file = SourceFile("t.go", CHAIN)
    package = PackageIndex([file])
    assert map_writing_names(package, None, library_writers(package)) == {"bump", "Record", "Tag", "store", "Put", "useRecord"}
    flow = PackageFlow(package)
    kept = {node.child_by_field_name("name").text.decode() for node in file.functions if node.start_byte in flow.prefilter().functions_with_writes(file, flow)}
    assert "useRecord" in kept and "useLen" not in kept


def test_library_map_methods_write_only_where_the_package_names_their_type() -> None:
    """`h.Set(k, v)` writes a map only on a library map type, which the analysis knows by its
    name (`http.Header`): in a package naming none, `wg.Add(1)` calls no writer."""
    from analyzers.flow.map_writers import library_writers, map_writing_names

    waits = b"package p\n\nfunc run(wg *sync.WaitGroup) { wg.Add(1) }\n"
    package = PackageIndex([SourceFile("w.go", waits)])
    assert "Add" not in library_writers(package)
    assert map_writing_names(package, None, library_writers(package)) == set()
    headers = waits + b"\nfunc tag(h http.Header) { h.Add(\"k\", \"v\") }\n"
    package = PackageIndex([SourceFile("h.go", headers)])
    assert {"Add", "Set"} <= library_writers(package)
    assert map_writing_names(package, None, library_writers(package)) == {"run", "tag"}  # (by name: `wg.Add` too)


def test_called_names_are_read_back_from_each_parenthesis() -> None:
    from analyzers.flow.map_writers import _called_names

    source = "func (t *T) Put(k string) { store(t, k); t.m[f(x)]++; g[int](y); a.b.C (z); 3(q); \u0447(1); s[i](2) }".encode()
    assert _called_names(source) == {"func", "Put", "store", "f", "g", "C", "\u0447", "s"}


def test_map_writers_follow_an_edit_that_changes_a_call() -> None:
    """The last answer is kept while every file's declarations are as they were; a call typed
    in (or taken out) changes it."""
    from analyzers.flow.map_writers import library_writers, map_writing_names

    def writers(body: bytes) -> frozenset[str]:
        package = PackageIndex([SourceFile("a.go", CHAIN), SourceFile("b.go", b"package p\n\nfunc use(t *Tally) {\n" + body + b"\n}\n")])
        return map_writing_names(package, None, library_writers(package))

    assert "use" not in writers(b"\t_ = t.Len()")
    assert "use" not in writers(b"\t_ = t.Len() // a comment typed")
    assert "use" in writers(b"\tt.Record(\"a\")")
    assert "use" not in writers(b"\t_ = t.Size()")
