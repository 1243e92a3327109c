"""Fetches a pinned Go toolchain for the tests when the machine's Go is too old or absent.

The tests build and run Go programs that use range over integers and functions (Go 1.23);
Debian 12 ships Go 1.19 and Ubuntu 24.04 Go 1.22. The Go project publishes every release as
the module `golang.org/toolchain` on the module proxy (that is how `GOTOOLCHAIN` downloads
one), so a plain HTTPS download works even with no Go at all. The zip is checked against its
pinned module hash (the `h1:` dirhash `go.sum` would hold) before it is unpacked.

    python3 scripts/fetch_go.py DEST      # prints DEST/go/bin, the folder to put on PATH
"""
from __future__ import annotations

import base64
import hashlib
import os
import pathlib
import platform
import shutil
import sys
import tempfile
import urllib.request
import zipfile

VERSION = "1.26.8"
# h1: module hashes of golang.org/toolchain@v0.0.1-go<VERSION>.linux-<arch>
HASHES = {
    "amd64": "h1:ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM=",
    "arm64": "h1:sYL/O6MqS68ML0kjsQ36WoYIpJqkw60TxizWUYUKQMc=",
}
_ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


def module_version(arch: str) -> str:
    return f"v0.0.1-go{VERSION}.linux-{arch}"


def proxy_url() -> str:
    """The first proxy of GOPROXY that is a URL (`off` and `direct` are not), as the go
    command would try it; `file://` proxies work as they do for the go command."""
    for entry in os.environ.get("GOPROXY", "https://proxy.golang.org").replace("|", ",").split(","):
        if entry.startswith(("https://", "http://", "file://")):
            return entry.rstrip("/")
    return "https://proxy.golang.org"


def dirhash(archive: zipfile.ZipFile) -> str:
    """golang.org/x/mod/sumdb/dirhash.Hash1 of a module zip."""
    lines = "".join(
        f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}\n"
        for name in sorted(archive.namelist())
        if not name.endswith("/")
    )
    return "h1:" + base64.b64encode(hashlib.sha256(lines.encode()).digest()).decode()


def unpack(archive: zipfile.ZipFile, prefix: str, into: pathlib.Path) -> None:
    """Extract the files under `prefix`, keeping their Unix modes (zipfile drops them)."""
    for info in archive.infolist():
        if info.filename.endswith("/") or not info.filename.startswith(prefix):
            continue
        target = into / info.filename[len(prefix) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            target.chmod(mode)


def fetch(dest: pathlib.Path) -> pathlib.Path:
    """Install Go VERSION under dest/go (once) and return its bin folder."""
    arch = _ARCHES.get(platform.machine().lower())
    if arch is None:
        raise SystemExit(f"fetch_go.py: no pinned Go for {platform.machine()}; install Go 1.23 or newer")
    goroot = dest / "go"
    stamp = goroot / ".nilmap-version"
    if stamp.exists() and stamp.read_text() == VERSION:
        return goroot / "bin"
    version = module_version(arch)
    url = f"{proxy_url()}/golang.org/toolchain/@v/{version}.zip"
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest) as scratch:
        zip_path = pathlib.Path(scratch) / "go.zip"
        with urllib.request.urlopen(url, timeout=300) as response, open(zip_path, "wb") as sink:
            shutil.copyfileobj(response, sink)
        with zipfile.ZipFile(zip_path) as archive:
            found = dirhash(archive)
            if found != HASHES[arch]:
                raise SystemExit(f"fetch_go.py: {url} has hash {found}, expected {HASHES[arch]}")
            staging = pathlib.Path(scratch) / "go"
            unpack(archive, f"golang.org/toolchain@{version}/", staging)
        shutil.rmtree(goroot, ignore_errors=True)
        staging.rename(goroot)
    stamp.write_text(VERSION)
    return goroot / "bin"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(fetch(pathlib.Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
