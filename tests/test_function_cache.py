"""The per-function cache: reused results always equal a fresh check's."""
from __future__ import annotations

import pathlib

import pytest

from analyzers.checker import check_package
from analyzers.flow.cache import FunctionCache
from analyzers.index import PackageIndex
from analyzers.source import SourceFile
from tests.fixture_support import go_files, scenarios


def _package(scenario: pathlib.Path) -> PackageIndex:
    return PackageIndex(SourceFile(str(p), p.read_bytes()) for p in go_files(scenario))


def _found(package: PackageIndex, cache=None) -> list:
    return [(d.path, d.span, d.rule, d.message) for d in check_package(package, cache=cache).diagnostics]


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cached_checks_equal_fresh_ones(scenario: pathlib.Path) -> None:
    cache = FunctionCache()
    fresh = _found(_package(scenario))
    assert _found(_package(scenario), cache) == fresh
    assert _found(_package(scenario), cache) == fresh


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
