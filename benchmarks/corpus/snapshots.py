"""Where each corpus entry's Go files come from, and the cache they are extracted to.

A repository is a bare git snapshot under the mirror folder (`<owner>+<name>/repo`, as the
search tool's `fetch` leaves it); its Go files and module files at the pinned commit are
written once into a cache folder outside this repository and reused. The standard library
and Debian's sources are checked where they are installed; their pin is checked against
what is there (a Go version; a fingerprint of the file list).
"""
from __future__ import annotations

import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from entries import Entry

COMPLETE = ".corpus-extracted"
GO_CANDIDATES = ("go", "/usr/local/go/bin/go")


class Absent(Exception):
    """The entry's source is not on this machine, or is not at its pinned version."""


def default_mirror(start: pathlib.Path) -> pathlib.Path:
    """$MIRROR, else the nearest `.mirror` folder above `start` (where fetch puts snapshots)."""
    if os.environ.get("MIRROR"):
        return pathlib.Path(os.environ["MIRROR"])
    for folder in start.parents:
        if (folder / ".mirror").is_dir():
            return folder / ".mirror"
    return start.parents[-1] / ".mirror"


def default_cache() -> pathlib.Path:
    """$NILMAP_CORPUS_CACHE, else ~/.cache/nilmap-corpus."""
    if os.environ.get("NILMAP_CORPUS_CACHE"):
        return pathlib.Path(os.environ["NILMAP_CORPUS_CACHE"])
    return pathlib.Path.home() / ".cache" / "nilmap-corpus"


def git_dir(mirror: pathlib.Path, source: str) -> pathlib.Path | None:
    match = re.fullmatch(r"github:([^/\s]+)/(\S+)", source)
    if not match:
        return None
    base = mirror / f"{match.group(1)}+{match.group(2)}" / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").exists():
            return candidate
    return None


def root_of(entry: Entry, mirror: pathlib.Path, cache: pathlib.Path) -> pathlib.Path:
    """The directory nilmap checks for this entry; raises Absent with the reason."""
    if entry.is_github:
        return _extracted(entry, mirror, cache)
    if entry.source == "goroot":
        return _goroot(entry)
    if entry.source.startswith("debian:"):
        return _local_tree(entry, pathlib.Path(entry.source.removeprefix("debian:")))
    raise Absent(f"unknown source {entry.source!r}")


def _extracted(entry: Entry, mirror: pathlib.Path, cache: pathlib.Path) -> pathlib.Path:
    dest = cache / entry.id.replace("/", "+") / entry.commit
    if (dest / COMPLETE).exists():
        return dest
    gd = git_dir(mirror, entry.source)
    if gd is None:
        raise Absent(f"no snapshot under {mirror} (fetch {entry.source})")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Extract beside the final folder and rename, so an interrupted run leaves no half tree
    # that a later run would take as complete.
    scratch = pathlib.Path(tempfile.mkdtemp(prefix=".extract-", dir=dest.parent))
    try:
        if not extract(gd, entry.commit, scratch):
            raise Absent(f"the snapshot has no commit {entry.commit[:12]} (fetch a newer {entry.source})")
        (scratch / COMPLETE).write_text(entry.commit + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        scratch.rename(dest)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    return dest


def extract(gd: pathlib.Path, commit: str, dest: pathlib.Path) -> bool:
    """Writes the `.go` files and `go.mod`/`go.work` files of `commit` under dest (what a
    checkout would hold, less everything nilmap does not read); False when the commit is
    not in the snapshot. Symbolic links are left out; files the snapshot lacks (4 MiB and
    more) are skipped."""
    git = ["git", "--git-dir", str(gd)]
    listing = subprocess.run(git + ["ls-tree", "-r", "-z", commit], capture_output=True)
    if listing.returncode != 0:
        return False
    wanted = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, name = item.split(b"\t", 1)
        mode, kind, sha = meta.split()
        text = name.decode("utf-8", "replace")
        if kind == b"blob" and mode != b"120000" and (text.endswith(".go") or text.rsplit("/", 1)[-1] in ("go.mod", "go.work")):
            wanted.append((sha.decode(), text))
    batch = subprocess.run(git + ["cat-file", "--batch"], input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
                           capture_output=True)
    out, pos = batch.stdout, 0
    for _sha, name in wanted:
        eol = out.index(b"\n", pos)
        header = out[pos:eol].split()
        pos = eol + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[pos:pos + size])
        pos += size + 1
    return True


def _goroot(entry: Entry) -> pathlib.Path:
    for go in GO_CANDIDATES:
        if shutil.which(go):
            run = subprocess.run([go, "env", "GOROOT", "GOVERSION"], capture_output=True, text=True)
            if run.returncode == 0:
                goroot, version = run.stdout.split()[:2]
                if version != entry.commit:
                    raise Absent(f"Go here is {version}, the corpus pins {entry.commit}")
                return pathlib.Path(goroot) / "src"
    raise Absent("no go command")


def _local_tree(entry: Entry, root: pathlib.Path) -> pathlib.Path:
    if not root.is_dir():
        raise Absent(f"no {root} (see the README for the packages that fill it)")
    found = fingerprint(root, entry.exclude)
    if found != entry.commit:
        raise Absent(f"{root} holds other files than the pinned ones (fingerprint {found}, pinned {entry.commit})")
    return root


def fingerprint(root: pathlib.Path, exclude: tuple[str, ...]) -> str:
    """A short hash of the relative paths and sizes of the `.go` files under root, without
    the excluded directories and without following symbolic links: it changes when a
    package is added, removed or upgraded."""
    digest = hashlib.sha256()
    skipped = {root / glob for glob in exclude}
    listing = []
    for folder, dirs, files in os.walk(root):
        here = pathlib.Path(folder)
        dirs[:] = sorted(d for d in dirs if here / d not in skipped)
        for name in files:
            path = here / name
            if name.endswith(".go") and not path.is_symlink():
                listing.append(f"{path.relative_to(root)}\t{path.stat().st_size}\n")
    for line in sorted(listing):
        digest.update(line.encode())
    return "files-" + digest.hexdigest()[:16]
