"""The module index reads an open file's unsaved text instead of the disk's, and says when
what other packages can see of a package changed (`ModuleTypes.meaning`)."""
from __future__ import annotations

from pathlib import Path

from analyzers.module import ModuleTypes

CONFIG = """package config

// Config is read from a file.
type Config struct {
	Name   string
	Labels map[string]string
}
"""


def _module(tmp_path: Path) -> tuple[ModuleTypes, str, Path]:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    directory = tmp_path / "config"
    directory.mkdir()
    (directory / "config.go").write_text(CONFIG)
    (tmp_path / "main.go").write_text("package main\n")
    return ModuleTypes(), str(tmp_path / "main.go"), directory


def _fields(types: ModuleTypes, importer: str) -> list[tuple[str, str]]:
    package = types.package(importer, "example.com/app/config")
    assert package is not None
    return [(f.name, f.type_text) for f in package.structs["Config"].fields]


def test_an_open_files_text_is_read_instead_of_the_disks_until_it_closes(tmp_path: Path) -> None:
    types, importer, directory = _module(tmp_path)
    assert _fields(types, importer) == [("Name", "string"), ("Labels", "map[string]string")]
    path = str(directory / "config.go")
    types.set_buffer(path, CONFIG.replace("Labels map[string]string", "Labels []string").encode())
    assert _fields(types, importer) == [("Name", "string"), ("Labels", "[]string")]
    types.set_buffer(path, None)
    assert _fields(types, importer) == [("Name", "string"), ("Labels", "map[string]string")]


def test_the_meaning_changes_with_a_field_not_with_a_comment_or_a_shift(tmp_path: Path) -> None:
    types, importer, directory = _module(tmp_path)
    _fields(types, importer)
    before = types.meaning(str(directory))
    assert before is not None
    path = str(directory / "config.go")
    types.set_buffer(path, CONFIG.replace("// Config is read from a file.", "// Config is read from a file,\n// or two.").encode())
    assert types.meaning_now(str(directory)) == before
    types.set_buffer(path, CONFIG.replace("Labels map[string]string", "Labels map[string]int").encode())
    assert types.meaning_now(str(directory)) != before


def test_a_package_read_again_for_its_meaning_keeps_its_import_path(tmp_path: Path) -> None:
    # Nothing to see of it at first (no types): once a struct is typed there, the re-read that
    # tells readers it changed is the one they are then served, under the package's own path.
    types, importer, directory = _module(tmp_path)
    path = str(directory / "config.go")
    types.set_buffer(path, b"package config\n\nvar Version = 1\n")
    assert types.package(importer, "example.com/app/config") is None
    types.set_buffer(path, CONFIG.encode())
    assert types.meaning_now(str(directory)) is not None
    package = types.package(importer, "example.com/app/config")
    assert package is not None and package.import_path == "example.com/app/config"
