"""Converted diagnostics are reused only when everything they show is the same: a finding
moved by an edit, or whose related location in another file moved, gets its new ranges."""
from __future__ import annotations

from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile
from lsp_server import convert
from lsp_server.analysis import to_lsp
from lsp_server.converted import ConvertedDiagnostics
from lsp_server.packages import PackageView

TYPES = """package main

type Registry struct {
	items map[int]int
}

func NewRegistry() *Registry {
	return &Registry{}
}
"""

OTHER = """package main

func (r *Registry) Add() {
	r.items[0] = 1
}

func main() {
	var m map[string]int
	m["k"] = 1
	NewRegistry().Add()
}
"""


def converted_both_ways(files: dict[str, str], path: str, cache: ConvertedDiagnostics):
    index = PackageIndex([SourceFile(p, text.encode()) for p, text in files.items()])
    view = PackageView(index, 1)
    diagnostics = tuple(check_package(index, [path]).diagnostics)
    lines = convert.line_index(files[path].encode())
    return to_lsp(diagnostics, lines, view, "utf-16", cache), to_lsp(diagnostics, lines, view, "utf-16")


def test_reused_conversions_equal_fresh_ones_after_edits() -> None:
    cache = ConvertedDiagnostics()
    files = {"/p/types.go": TYPES, "/p/other.go": OTHER}
    first, fresh = converted_both_ways(files, "/p/other.go", cache)
    assert first == fresh and {str(d.code) for d in first} == {"NM001", "NM003"}
    again, fresh = converted_both_ways(files, "/p/other.go", cache)
    assert again == fresh and cache.hits == len(first)
    # Two lines above everything: every finding moves down, none keeps its old range.
    moved_files = {**files, "/p/other.go": OTHER.replace("package main\n", "package main\n\n// About the registry.\n", 1)}
    moved, fresh = converted_both_ways(moved_files, "/p/other.go", cache)
    assert moved == fresh
    assert sorted(d.range.start.line for d in moved) == sorted(d.range.start.line + 2 for d in first)
    # The other file moves: the related location of the NM003 finding follows it.
    shifted_files = {**moved_files, "/p/types.go": TYPES.replace("package main\n", "package main\n\n\n", 1)}
    shifted, fresh = converted_both_ways(shifted_files, "/p/other.go", cache)
    assert shifted == fresh
    related = [d.related_information for d in shifted if d.code == "NM003"]
    before = [d.related_information for d in moved if d.code == "NM003"]
    assert related and related != before
