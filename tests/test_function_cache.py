"""The per-function cache: reused results always equal a fresh check's."""
from __future__ import annotations

import pathlib

import pytest

from analyzers.checker import check_package
from analyzers.flow import analysis
from analyzers.flow.cache import FunctionCache
from analyzers.flow.syntax import function_name
from analyzers.index import PackageIndex
from analyzers.rule import Settings
from analyzers.source import SourceFile
from tests.fixture_support import go_files, scenarios


def _package(scenario: pathlib.Path) -> PackageIndex:
    return PackageIndex(SourceFile(str(p), p.read_bytes()) for p in go_files(scenario))


EVERY_RULE = Settings(select=frozenset({"NM"}))  # the opt-in NM004 too


def _counting_analyses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions analysed from now on (not summaries, nor caller runs)."""
    analysed: list[str] = []
    run = analysis.Interpreter.run

    def counted(self: analysis.Interpreter) -> dict:
        if not self.summarising and type(self) is analysis.Interpreter:
            analysed.append(function_name(self.func))
        return run(self)

    monkeypatch.setattr(analysis.Interpreter, "run", counted)
    return analysed


def _found(package: PackageIndex, cache=None) -> list:
    return [(d.path, d.span, d.rule, d.message) for d in check_package(package, settings=EVERY_RULE, cache=cache).diagnostics]


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cached_checks_equal_fresh_ones(scenario: pathlib.Path) -> None:
    cache = FunctionCache()
    fresh = _found(_package(scenario))
    assert _found(_package(scenario), cache) == fresh
    stored = cache.misses  # each function analysed is looked up, missed, then stored
    assert cache.hits == 0
    assert _found(_package(scenario), cache) == fresh
    assert (cache.hits, cache.misses) == (stored, stored)  # the same text again: every one served
    # Move every function of the first file down; cached results must move with them.
    package = _package(scenario)
    first = package.files[sorted(package.files)[0]]
    shifted = first.source.replace(b"\n", b"\n\n// moved down\n", 1)
    package.update(SourceFile(first.path, shifted))
    def full(cache: FunctionCache | None = None) -> list[tuple]:
        return [(d.path, d.span, d.rule, d.message, d.fixes, d.related) for d in check_package(package, cache=cache).diagnostics]

    assert full(cache) == full()
    # Type into the first function of a file: the declarations below it move, and the
    # results that point into them (other functions' origins, callees' writes) move too.
    package = _package(scenario)
    full(cache)
    for path in sorted(package.files):
        file = package.files[path]
        if file.functions:
            opening = file.source.index(b"{\n", file.functions[0].start_byte) + 2
            package.update(SourceFile(path, file.source[:opening] + b"\t// typed here\n" + file.source[opening:]))
            break
    assert full(cache) == full()


def test_typing_in_one_function_analyses_only_that_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The function below it moves, and its result (which names where its nil comes from)
    moves with it; so does the type it reaches, below; the callee above is unchanged."""
    source = b"""package main

func fill(m map[string]int) {
	m["a"] = 1
}

func first() {
	var m map[string]int
	fill(m)
}

func second() {
	var m counts
	m["b"] = 2
}

func main() {
	first()
	second()
}

type counts map[string]int
"""
    package = PackageIndex([SourceFile("main.go", source)])
    cache = FunctionCache()
    assert len(_found(package, cache)) == 2  # the call in first, the write in second
    analysed = _counting_analyses(monkeypatch)
    typed = source.replace(b"\tfill(m)", b"\t// typed here\n\tfill(m)")
    package.update(SourceFile("main.go", typed))
    after = _found(package, cache)
    assert analysed == ["first"]  # its text changed; second and the type it names only moved
    monkeypatch.undo()
    assert after == _found(package)
    assert [message for *_, message in after][1] == "write to nil map `m`: declared at line 14 without make"


def test_a_comment_typed_in_a_callee_leaves_its_callers_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller reaches its callee by name and depends on its code, not its comments. (A
    caller whose findings point into the callee, a call that hands it a nil map, is analysed
    again: where in the callee they point has moved; so is one whose map may be nil or the
    callee's, whose absent keys the callee's `make` speaks for.)"""
    source = b"""package main

import "os"

func fresh() map[string]int {
	return make(map[string]int)
}

func first() {
	m := fresh()
	if len(os.Args) > 1 {
		m["b"] = 2
	}
	var n map[string]int
	n["a"] = 1
}
"""
    comment = source.replace(b"\treturn make", b"\t// typed here\n\treturn make")
    code = source.replace(b"\treturn make(map[string]int)", b"\treturn nil")
    package = PackageIndex([SourceFile("main.go", source)])
    cache = FunctionCache()
    before = _found(package, cache)
    assert len(before) == 1
    analysed = _counting_analyses(monkeypatch)
    package.update(SourceFile("main.go", comment))
    commented = _found(package, cache)
    assert analysed == []
    package.update(SourceFile("main.go", code))
    changed = _found(package, cache)
    assert "first" in analysed  # code typed in the callee does reach it
    monkeypatch.undo()
    assert commented == _found(PackageIndex([SourceFile("main.go", comment)])) and len(commented) == 1
    assert changed == _found(PackageIndex([SourceFile("main.go", code)]))


def test_editing_a_method_reaches_its_callers_in_other_files() -> None:
    scenario = pathlib.Path(__file__).parent / "fixtures/nil_map_field/method_write_cross_file"
    cache = FunctionCache()
    package = _package(scenario)
    before = _found(package, cache)
    assert any("call of `Add`" in message for *_, message in before)
    registry = next(f for f in package.files.values() if f.path.endswith("registry.go"))
    guarded = registry.source.replace(
        b"\tr.entries[k]++", b"\tif r.entries == nil {\n\t\tr.entries = map[string]int{}\n\t}\n\tr.entries[k]++"
    )
    package.update(SourceFile(registry.path, guarded))
    after = _found(package, cache)
    assert after == _found(package)  # the same as without the cache
    assert not any("call of `Add`" in message for *_, message in after)
    hits = cache.hits
    assert _found(package, cache) == after
    assert cache.hits > hits  # unchanged: served from the cache


def test_editing_a_function_reaches_the_calls_that_hand_it_a_nil_map() -> None:
    scenario = pathlib.Path(__file__).parent / "fixtures/nil_map_write/callee_writes_parameter"
    cache = FunctionCache()
    package = _package(scenario)
    assert any("call of `record`" in message for *_, message in _found(package, cache))
    main = next(iter(package.files.values()))
    guarded = main.source.replace(b"\tcounts[word]++", b"\tif counts == nil {\n\t\treturn\n\t}\n\tcounts[word]++")
    package.update(SourceFile(main.path, guarded))
    after = _found(package, cache)
    assert after == _found(package) == []


def test_a_callee_that_starts_writing_its_parameter_wakes_the_caller() -> None:
    """The caller's text is unchanged, but the prefilter's verdict on it must change."""
    caller = SourceFile("main.go", b"package main\n\nfunc main() {\n\tvar c map[string]int\n\tfill(c)\n}\n")
    reader = b"package main\n\nfunc fill(m map[string]int) {\n\t_ = m[\"a\"]\n}\n"
    package = PackageIndex([caller, SourceFile("fill.go", reader)])
    cache = FunctionCache()
    assert _found(package, cache) == []
    package.update(SourceFile("fill.go", reader.replace(b'_ = m["a"]', b'm["a"] = 1')))
    assert [message for *_, message in _found(package, cache)] == ["call of `fill` writes to nil map `c`: declared at line 4 without make"]


def test_results_move_with_their_function() -> None:
    scenario = pathlib.Path(__file__).parent / "fixtures/nil_map_write/function_returns_nil"
    cache = FunctionCache()
    package = _package(scenario)
    _found(package, cache)
    file = next(iter(package.files.values()))
    shifted = file.source.replace(b"func main() {", b"// A comment that moves main down.\n\nfunc main() {")
    package.update(SourceFile(file.path, shifted))
    hits = cache.hits
    moved = check_package(package, cache=cache).diagnostics
    assert cache.hits > hits
    fresh = check_package(package).diagnostics
    assert moved
    assert [(d.span, d.message, d.fixes) for d in moved] == [(d.span, d.message, d.fixes) for d in fresh]


def test_a_new_declaration_of_a_mentioned_name_counts() -> None:
    source = b"""package main

type Set map[string]bool

func main() {
	var s Set
	s.Add("x")
}
"""
    cache = FunctionCache()
    package = PackageIndex([SourceFile("main.go", source)])
    assert _found(package, cache) == []  # Add does not exist yet: nothing is known to write
    package.update(SourceFile("add.go", b"package main\n\nfunc (s Set) Add(k string) { s[k] = true }\n"))
    after = _found(package, cache)
    assert after == _found(package) and len(after) == 1


def test_whether_a_type_is_decoded_elsewhere_reaches_the_writer() -> None:
    """Whether an unexported tagged type is decoded is a fact of the whole package: a decode
    added or removed in another file changes the unchanged writer's findings."""
    types = (
        b'package main\n\ntype conf struct {\n\tLabels map[string]string `json:"labels"`\n}\n\n'
        b'func (c *conf) set(k string) {\n\tvar seen map[string]bool\n\tif k == "" {\n\t\tseen[k] = true\n\t}\n\tc.Labels[k] = "x"\n}\n'
    )
    building = b"package main\n\nfunc load() *conf {\n\treturn nil\n}\n"
    decoding = b'package main\n\nimport "encoding/json"\n\nfunc load() *conf {\n\tvar c conf\n\t_ = json.Unmarshal(nil, &c)\n\treturn &c\n}\n'
    package = PackageIndex([SourceFile("conf.go", types), SourceFile("load.go", decoding)])
    cache = FunctionCache()
    assert sorted(rule for _, _, rule, _ in _found(package, cache)) == ["NM001", "NM004"]
    package.update(SourceFile("load.go", building))
    assert _found(package, cache) == _found(package)
    assert [rule for _, _, rule, _ in _found(package, cache)] == ["NM001"]
    package.update(SourceFile("load.go", decoding))
    assert sorted(rule for _, _, rule, _ in _found(package, cache)) == ["NM001", "NM004"]


def test_whether_code_sets_a_field_elsewhere_reaches_the_range_over_it() -> None:
    """Whether any code sets an unexported map field is a fact of the whole package: a range
    over a field no code sets runs no round, and a store added in another file (which the
    unchanged function does not reach by name) makes the loop's write reachable again."""
    frame = (
        b"package main\n\ntype frame struct {\n\tdata map[string]string\n}\n\n"
        b"func inherit(p *frame) map[string]string {\n\tvar copied map[string]string\n"
        b"\tfor k, v := range p.data {\n\t\tcopied[k] = v\n\t}\n\treturn copied\n}\n"
    )
    unset = b"package main\n\nfunc newFrame() *frame {\n\treturn &frame{}\n}\n"
    setting = b"package main\n\nfunc newFrame() *frame {\n\treturn &frame{data: map[string]string{\"k\": \"v\"}}\n}\n"
    package = PackageIndex([SourceFile("frame.go", frame), SourceFile("new.go", unset)])
    cache = FunctionCache()
    assert _found(package, cache) == []
    package.update(SourceFile("new.go", setting))
    assert [rule for _, _, rule, _ in _found(package, cache)] == ["NM001"]
    assert _found(package, cache) == _found(package)
    package.update(SourceFile("new.go", unset))
    assert _found(package, cache) == []


@pytest.mark.parametrize("versions", [False, True], ids=["updated", "forked"])
def test_renaming_a_field_analyses_again_only_the_functions_that_can_see_it(monkeypatch: pytest.MonkeyPatch, versions: bool) -> None:
    """A method depends on the fields of its struct it names (and every field's type), not on
    the names of the others: renaming `hits` leaves `add` alone, renaming `items` does not;
    renamed back, the result `add` had before is still kept; a comment changes nothing. With
    `versions`, each edit is a new version of the package (`fork`, as the server makes one per
    edit): a result found valid at the last check is then checked again only against the names
    whose declarations changed since, by what it observes of them, with the same answers."""
    types = b"package main\n\ntype Registry struct {\n\thits  int\n\titems map[string]int\n}\n"
    methods = b"""package main

func (r *Registry) add(k string) {
	var seen map[string]bool
	if k == "" {
		seen[k] = true
	}
	r.items[k]++
}

func (r *Registry) count() {
	var m map[string]int
	m["n"] = r.hits
}

func (r *Registry) other() {
	var m map[string]int
	m["n"] = 1
}
"""
    package = PackageIndex([SourceFile("types.go", types), SourceFile("methods.go", methods)])
    cache = FunctionCache()
    _found(package, cache)
    analysed = _counting_analyses(monkeypatch)
    steps = [
        (b"\thits ", b"\tmisses", ["(r *Registry).count"]),
        (b"\titems", b"\titemz", ["(r *Registry).add"]),
        (b"\titemz", b"\titemy", []),
        (b"\titemy", b"\titems", []),
        (b"\tmisses int", b"\tmisses int // counted", []),
    ]
    for old, new, again in steps:
        types = types.replace(old, new)
        fresh = _found(PackageIndex([SourceFile("types.go", types), SourceFile("methods.go", methods)]))
        if versions:
            package = package.fork()
        package.update(SourceFile("types.go", types))
        analysed.clear()
        assert _found(package, cache) == fresh
        assert sorted(analysed) == again, old


def test_a_comment_typed_digests_no_other_function_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed in a new version of the package, a comment changes no declaration's tokens: the
    results of the other functions, found valid at the last check, are kept without computing
    what they reach again; the typed function alone is analysed and digested."""
    source = b"package main\n\n" + b"".join(
        b"func f%d(fresh bool) map[string]int {\n\tvar m map[string]int\n\tif fresh {\n\t\tm = map[string]int{}\n\t}\n\tm[\"k\"]++\n\treturn m\n}\n\n" % i
        for i in range(6)
    )
    package = PackageIndex([SourceFile("main.go", source)])
    cache = FunctionCache()
    _found(package, cache)
    digested: list[int] = []
    fingerprint = analysis.Dependencies.fingerprint
    monkeypatch.setattr(analysis.Dependencies, "fingerprint", lambda self, closure, own: digested.append(1) or fingerprint(self, closure, own))
    for typed in (b"\t// one\n", b"\t// two\n"):
        source = source.replace(b"func f3(fresh bool) map[string]int {\n", b"func f3(fresh bool) map[string]int {\n" + typed)
        package = package.fork()
        package.update(SourceFile("main.go", source))
        digested.clear()
        found = _found(package, cache)
        assert len(digested) == 1  # the typed function's new result, kept
        assert found == _found(PackageIndex([SourceFile("main.go", source)]))
        assert len(found) == 6


def test_declarations_listed_from_the_last_check_equal_those_listed_afresh() -> None:
    """After an edit the package's declarations are listed from the last check's, with the names
    of the changed file listed again: added, removed, renamed, moved and repeated names alike."""
    from analyzers.flow.cache import Dependencies

    files = {
        "a.go": b"package main\n\ntype T struct{ m map[string]int }\n\nfunc f() {}\n\nfunc init() {}\n",
        "b.go": b"package main\n\nvar x, y int\n\nfunc g() {}\n\nfunc init() {}\n",
        "c.go": b"package main\n\nfunc h() {}\n",
    }
    package = PackageIndex([SourceFile(path, text) for path, text in files.items()])
    before = Dependencies(package)
    assert before.declarations
    edits = [
        ("b.go", b"package main\n\nvar x int\n\nfunc g2() {}\n\nfunc f() {}\n\nfunc init() {}\n\nfunc init() {}\n"),
        ("a.go", b"package main\n\n// moved\n\ntype T struct{ m map[string]int }\n\nfunc init() {}\n"),
        ("c.go", b"package main\n"),
    ]
    for path, text in edits:
        package = package.fork()
        package.update(SourceFile(path, text))
        now = Dependencies(package)
        now.previous = before
        assert now.declarations == Dependencies(package).declarations, path
        before = now
    package = package.fork()
    package.remove("b.go")
    now = Dependencies(package)
    now.previous = before
    assert now.declarations == Dependencies(package).declarations
