"""The analysis thread's parts, in process: incremental re-parses from the edits the event
loop logged agree with a fresh parse, a cancelled run stops without leaving anything
half-done, and per-function results of text that is gone are let go."""
from __future__ import annotations

import pathlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from support import position_of

from analyzers.checker import Settings, check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile
from lsp_server.analysis import NEVER, AnalysisState, CancelToken, CheckpointedFunctionCache, DirectoryRequest, RunCancelled
from lsp_server.documents import Document

FIXTURES = sorted((pathlib.Path(__file__).parents[1] / "fixtures").glob("*/*/*.go"))[:40]
BUG = 'package main\n\nfunc main() {\n\tvar m map[string]int\n\tm["a"] = 1\n}\n'


def _document(text: str, path: str = "/virtual/pkg/main.go") -> Document:
    return Document("file://" + path, path, "go", 1, text.encode())


def _edit(document: Document, text: str, start: int, end: int, new_text: str) -> str:
    """Replace characters [start, end) of `text` as a client's didChange would."""
    rng = types.Range(start=position_of(text, start, "utf-16"), end=position_of(text, end, "utf-16"))
    document.apply_changes([types.TextDocumentContentChangePartial(range=rng, text=new_text)], document.version + 1, "utf-16")
    return text[:start] + new_text + text[end:]


EDITS = st.lists(
    st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=12), st.sampled_from(["", "x", "\n", "{", "}", "m[k] = 1\n", "// é\n", "`", "func f() {\n"]), st.booleans()),
    min_size=1,
    max_size=25,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIXTURES), EDITS)
def test_incremental_parses_agree_with_fresh_ones(fixture: pathlib.Path, edits: list) -> None:
    """Edits, with a snapshot parsed now and then: each parsed tree is the one a fresh parse
    makes (a tree with syntax errors is always made fresh, for `nilmap check`'s findings)."""
    text = fixture.read_text()
    document = _document(text)
    state = AnalysisState()
    for at, length, new_text, parse_now in edits:
        start = at % (len(text) + 1)
        text = _edit(document, text, start, min(len(text), start + length), new_text)
        if parse_now:
            _assert_like_a_fresh_file(state.trees.file_for(document.snapshot()), text)
    _assert_like_a_fresh_file(state.trees.file_for(document.snapshot()), text)


def _assert_like_a_fresh_file(file: SourceFile | None, text: str) -> None:
    """The tree, and the functions recovered from a syntax error (some taken over from the
    file's previous version), are those of the text parsed afresh."""
    fresh = SourceFile(file.path if file else "", text.encode())
    assert file is not None and file.source == fresh.source
    assert str(file.tree.root_node) == str(fresh.tree.root_node)
    assert [(n.start_byte, n.end_byte, str(n)) for n in file.functions] == [(n.start_byte, n.end_byte, str(n)) for n in fresh.functions]


def _request(document: Document, change: int = 0) -> DirectoryRequest:
    return DirectoryRequest((document.snapshot(),), frozenset(), Settings(), "utf-16", 0, 0, change)


class _CancelAfter(CancelToken):
    """A token the loop "sets" after the analysis looked at `count` functions."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def check(self) -> None:
        self.count -= 1
        if self.count < 0:
            self.cancel()
        super().check()


def test_a_cancelled_run_stops_and_the_next_one_is_whole() -> None:
    text = BUG + "".join(f"\nfunc f{n}() {{\n\tvar m map[string]int\n\tm[\"{n}\"] = {n}\n}}\n" for n in range(20))
    document = _document(text)
    state = AnalysisState()
    cancelled = CancelToken()
    cancelled.cancel()
    for token in (cancelled, _CancelAfter(5)):
        try:
            state.analyse(_request(document), token)
        except RunCancelled:
            pass
        else:
            raise AssertionError("a cancelled run finished")
    [result] = state.analyse(_request(document), NEVER)
    expected = check_package(PackageIndex([SourceFile(document.path, text.encode())]), [document.path]).diagnostics
    assert list(result.result.diagnostics) == expected and len(expected) == 21


def test_function_results_of_text_that_is_gone_are_dropped() -> None:
    text = BUG + '\nfunc other() {\n\tvar m map[string]int\n\t_ = 0\n\tm["x"] = 1\n}\n'
    document = _document(text)
    state = AnalysisState()
    for n in range(1, 30):
        start = text.index("_ = ") + len("_ = ")
        end = start + len(str(n - 1))
        text = _edit(document, text, start, end, str(n))
        state.analyse(_request(document, n), NEVER)
    file = state.trees.file_for(document.snapshot())
    assert file is not None
    current = {file.text_key(node) for node in file.functions}
    kept = {key[1:3] for key in state.functions._cache.keys()}
    assert len(kept) == 2 and kept <= current  # `main` and `other` now; none of the 29 texts `other` had


def test_results_kept_together_for_a_file_go_with_its_functions_entries() -> None:
    """A file's results kept together (`FileResults`) are served without a lookup of its
    functions, so whatever drops their entries (a file closed, its package's reads stale, a
    change elsewhere) drops them too, and so does checking a newer version of the file."""
    texts = {f"/virtual/pkg/{name}.go": BUG.replace("func main", f"func {name}") for name in ("a", "b")}
    files = [SourceFile(path, text.encode()) for path, text in texts.items()]
    cache = CheckpointedFunctionCache()

    def check() -> None:
        check_package(PackageIndex(files), [files[0].path], cache=cache)
        assert all(cache.file_results(file.path) is not None for file in files)

    check()
    cache.forget_path(files[0].path)
    assert cache.file_results(files[0].path) is None and cache.file_results(files[1].path) is not None
    check()
    cache.forget_directories({"/virtual/pkg"})
    assert all(cache.file_results(file.path) is None for file in files)
    check()
    cache.clear()
    assert all(cache.file_results(file.path) is None for file in files)
    check()
    cache.keep_current([SourceFile(files[0].path, texts[files[0].path].encode())])  # a newer version of it
    assert cache.file_results(files[0].path) is None and cache.file_results(files[1].path) is not None
