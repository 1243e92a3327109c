"""The names an import without its own binds in the file's index."""
from __future__ import annotations

import pytest

from analyzers.index import assumed_package_name, read_facts
from analyzers.source import SourceFile


@pytest.mark.parametrize(
    ("import_path", "name"),
    [
        ("fmt", "fmt"),
        ("example.com/toolkit/v2", "toolkit"),
        ("github.com/pelletier/go-toml/v2", "toml"),
        ("gopkg.in/yaml.v3", "yaml"),
        ("github.com/mattn/go-sqlite3", "sqlite3"),
        ("k8s.io/api/core/v1", "core"),
        ("example.com/v2", "example"),
    ],
)
def test_assumed_name(import_path: str, name: str) -> None:
    assert assumed_package_name(import_path) == name


def test_both_names_bound_unless_another_import_binds_one() -> None:
    source = b'package p\n\nimport (\n\t"k8s.io/api/core/v1"\n\t"example.com/toolkit/v2"\n\tcore "example.com/core"\n)\n'
    facts = read_facts(SourceFile("p.go", source))
    assert facts.imports["v1"] == "k8s.io/api/core/v1"  # an API version's package is named v1
    assert facts.imports["toolkit"] == "example.com/toolkit/v2"
    assert facts.imports["v2"] == "example.com/toolkit/v2"
    assert facts.imports["core"] == "example.com/core"  # named for sure: not replaced by an assumed name
