"""scripts/fetch_go.py: the pinned Go for machines whose own is too old, from a module proxy.

A local `file://` proxy stands in for proxy.golang.org: the zip is laid out as the
`golang.org/toolchain` module is, and the script must check its hash, keep the executable
bits and install it once."""
from __future__ import annotations

import importlib.util
import os
import stat
import zipfile
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fetch_go.py"
_spec = importlib.util.spec_from_file_location("fetch_go", _SCRIPT)
assert _spec is not None and _spec.loader is not None
fetch_go = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fetch_go)


def _proxy_with_toolchain(root: Path, arch: str) -> Path:
    """A module proxy folder holding a small toolchain zip: an executable bin/go and a source file."""
    version = fetch_go.module_version(arch)
    folder = root / "golang.org" / "toolchain" / "@v"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / f"{version}.zip", "w") as archive:
        go = zipfile.ZipInfo(f"golang.org/toolchain@{version}/bin/go")
        go.external_attr = (stat.S_IFREG | 0o755) << 16
        archive.writestr(go, "#!/bin/sh\necho go version go-test\n")
        source = zipfile.ZipInfo(f"golang.org/toolchain@{version}/src/builtin/builtin.go")
        source.external_attr = (stat.S_IFREG | 0o644) << 16
        archive.writestr(source, "package builtin\n")
    return folder / f"{version}.zip"


@pytest.fixture
def arch(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(fetch_go.platform, "machine", lambda: "x86_64")
    return "amd64"


def test_installs_a_checked_toolchain_with_its_modes(tmp_path: Path, arch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _proxy_with_toolchain(tmp_path / "proxy", arch)
    with zipfile.ZipFile(archive) as opened:
        monkeypatch.setitem(fetch_go.HASHES, arch, fetch_go.dirhash(opened))
    monkeypatch.setenv("GOPROXY", f"off,file://{tmp_path / 'proxy'}")
    bin_dir = fetch_go.fetch(tmp_path / "cache")
    assert bin_dir == tmp_path / "cache" / "go" / "bin"
    assert os.access(bin_dir / "go", os.X_OK)
    assert (tmp_path / "cache" / "go" / "src" / "builtin" / "builtin.go").read_text() == "package builtin\n"
    archive.unlink()  # installed once: a second call must not download again
    assert fetch_go.fetch(tmp_path / "cache") == bin_dir


def test_refuses_a_zip_whose_hash_is_not_the_pinned_one(tmp_path: Path, arch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _proxy_with_toolchain(tmp_path / "proxy", arch)
    monkeypatch.setitem(fetch_go.HASHES, arch, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    monkeypatch.setenv("GOPROXY", f"file://{tmp_path / 'proxy'}")
    with pytest.raises(SystemExit, match="expected h1:AAAA"):
        fetch_go.fetch(tmp_path / "cache")
    assert not (tmp_path / "cache" / "go").exists()

