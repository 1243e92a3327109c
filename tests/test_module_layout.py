"""Where the module index finds an imported package's directory in a tree without a go.mod
(GOPATH-era code), judged by the go tool itself in GOPATH mode (`GO111MODULE=off`)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import gotool

from analyzers.module import ModuleTypes

REPOSITORY = "src/github.com/acme/tool"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def _go_dirs(gopath: Path, package_dir: Path) -> dict[str, str]:
    """Import path (as the importing code writes it) -> directory, for the dependencies the go
    tool resolves in GOPATH mode for the package in `package_dir`."""
    env = {**gotool.go_env(), "GO111MODULE": "off", "GOFLAGS": "", "GOPATH": str(gopath)}
    listed = subprocess.run(
        ["go", "list", "-deps", "-f", "{{.ImportPath}} {{.Dir}}", "."],
        cwd=package_dir, env=env, capture_output=True, text=True, timeout=gotool.TIMEOUT, check=True,
    ).stdout
    found = {}
    for line in listed.splitlines():
        import_path, _, directory = line.partition(" ")
        found[import_path.rpartition("/vendor/")[2]] = directory
    return found


def test_vendor_folders_above_the_importer_nearest_first(tmp_path: Path) -> None:
    repository = tmp_path / REPOSITORY
    _write(
        repository,
        {
            "vendor/k8s.io/api/core/core.go": "package core\n\ntype Requirements struct{ Requests map[string]int }\n",
            "vendor/k8s.io/api/apps/apps.go": "package apps\n\ntype Set struct{ Labels map[string]string }\n",
            "pkg/vendor/k8s.io/api/core/core.go": "package core\n\ntype Requirements struct{ Requests map[string]int }\n",
            "pkg/spec/spec.go": (
                'package spec\n\nimport (\n\t"k8s.io/api/apps"\n\t"k8s.io/api/core"\n)\n\n'
                "type Spec struct {\n\tResources core.Requirements\n\tSet       apps.Set\n}\n"
            ),
        },
    )
    importer = repository / "pkg" / "spec"
    by_go = _go_dirs(tmp_path, importer)
    modules = ModuleTypes()
    for import_path in ("k8s.io/api/core", "k8s.io/api/apps"):
        assert modules.directory(str(importer), import_path) == by_go[import_path]
    assert by_go["k8s.io/api/core"] == str(repository / "pkg" / "vendor" / "k8s.io" / "api" / "core")


def test_a_package_of_the_tree_by_its_trailing_path_elements(tmp_path: Path) -> None:
    repository = tmp_path / REPOSITORY
    _write(
        repository,
        {
            "pkg/spec/spec.go": "package spec\n\ntype Spec struct{ Labels map[string]string }\n",
            "cmd/run/main.go": 'package main\n\nimport "github.com/acme/tool/pkg/spec"\n\nfunc main() { _ = spec.Spec{} }\n',
        },
    )
    importer = repository / "cmd" / "run"
    by_go = _go_dirs(tmp_path, importer)
    assert ModuleTypes().directory(str(importer), "github.com/acme/tool/pkg/spec") == by_go["github.com/acme/tool/pkg/spec"]
    assert os.path.isdir(by_go["github.com/acme/tool/pkg/spec"])


def test_a_package_under_the_trees_own_prefix_in_a_checkout_named_otherwise(tmp_path: Path) -> None:
    """A checkout outside GOPATH, in a folder not named after the repository: a package named by
    one trailing element (`github.com/acme/tool/state`) is found below the root that the
    importer's other imports of the tree (`github.com/acme/tool/helper/hash`) show."""
    files = {
        "state/state.go": "package state\n\ntype State struct{ Attributes map[string]string }\n",
        "helper/hash/hash.go": "package hash\n\nfunc Of(s string) int { return len(s) }\n",
        "providers/cloud/migrate.go": (
            'package cloud\n\nimport (\n\t"github.com/acme/tool/helper/hash"\n\t"github.com/acme/tool/state"\n)\n\n'
            "func Migrate(s *state.State) int { return hash.Of(s.Attributes[\"id\"]) }\n"
        ),
    }
    repository = tmp_path / "gopath" / REPOSITORY
    _write(repository, files)
    checkout = tmp_path / "checkout-1234"
    _write(checkout, files)
    by_go = _go_dirs(tmp_path / "gopath", repository / "providers" / "cloud")
    modules = ModuleTypes()
    for import_path in ("github.com/acme/tool/state", "github.com/acme/tool/helper/hash"):
        found = modules.directory(str(checkout / "providers" / "cloud"), import_path)
        assert found is not None and Path(found).relative_to(checkout) == Path(by_go[import_path]).relative_to(repository)
    assert modules.directory(str(checkout / "providers" / "cloud"), "github.com/other/lib/state") is None


def test_a_package_directory_is_seen_as_it_changes_on_disk(tmp_path: Path) -> None:
    """Whether a directory holds a package is kept by its modification time (every check asks
    it of every import): a Go file added or removed later is seen, a listing kept or not."""
    _write(tmp_path, {"go.mod": "module example.com/app\n", "cmd/main.go": "package main\n"})
    importer = str(tmp_path / "cmd")
    modules = ModuleTypes()
    (tmp_path / "lib").mkdir()
    assert modules.directory(importer, "example.com/app/lib") is None  # no Go file yet: not a package
    _write(tmp_path, {"lib/lib.go": "package lib\n"})
    assert modules.directory(importer, "example.com/app/lib") == str(tmp_path / "lib")  # just changed: listed again
    settled = 1_000_000_000  # a second after the epoch: long enough ago for its listing to be kept
    os.utime(tmp_path / "lib", ns=(settled, settled))
    assert modules.directory(importer, "example.com/app/lib") == str(tmp_path / "lib")
    (tmp_path / "lib" / "lib.go").unlink()  # changes the directory's modification time
    assert modules.directory(importer, "example.com/app/lib") is None
