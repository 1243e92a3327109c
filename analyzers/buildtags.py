"""Build constraints: which files of a directory the Go tool would compile for a platform.

Files for other platforms (`_windows.go`, `//go:build darwin`) often declare the same
functions as their siblings; reading them together would mix, say, two different
constructors. The command line checks the files of one platform, as `go vet` does (the
host's, or `GOOS`/`GOARCH` from the environment); a file named explicitly is always checked.
"""
from __future__ import annotations

import os
import platform
import re

KNOWN_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos".split()
)
KNOWN_ARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le "
    "riscv riscv64 s390 s390x sparc sparc64 wasm".split()
)
UNIX_OS = frozenset("aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris".split())
_MACHINE_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7l": "arm"}


def host_platform() -> tuple[str, str]:
    goos = os.environ.get("GOOS") or platform.system().lower() or "linux"
    goarch = os.environ.get("GOARCH") or _MACHINE_ARCH.get(platform.machine(), platform.machine())
    return goos, goarch


def _satisfied(tag: str, goos: str, goarch: str) -> bool:
    if tag in (goos, goarch, "gc", "cgo"):
        return True
    if tag == "unix":
        return goos in UNIX_OS
    if re.fullmatch(r"go1\.\d+", tag):
        return True  # release tags: nilmap reads any Go version
    return False


def _eval(expr: str, goos: str, goarch: str) -> bool:
    tokens = re.findall(r"\|\||&&|!|\(|\)|[\w.]+", expr)
    position = 0

    def parse_or() -> bool:
        nonlocal position
        value = parse_and()
        while position < len(tokens) and tokens[position] == "||":
            position += 1
            value = parse_and() or value
        return value

    def parse_and() -> bool:
        nonlocal position
        value = parse_not()
        while position < len(tokens) and tokens[position] == "&&":
            position += 1
            value = parse_not() and value
        return value

    def parse_not() -> bool:
        nonlocal position
        if position < len(tokens) and tokens[position] == "!":
            position += 1
            return not parse_not()
        if position < len(tokens) and tokens[position] == "(":
            position += 1
            value = parse_or()
            position += 1  # ")"
            return value
        tag = tokens[position] if position < len(tokens) else ""
        position += 1
        return _satisfied(tag, goos, goarch)

    return parse_or()


def _header(source: bytes) -> list[str]:
    """The comment lines before the package clause."""
    lines = []
    for raw in source.split(b"\n", 200)[:200]:
        line = raw.strip().decode("utf-8", "replace")
        if line.startswith("package "):
            break
        lines.append(line)
    return lines


def matches(path: str, source: bytes, goos: str, goarch: str) -> bool:
    """Whether the go tool would compile this file for goos/goarch."""
    stem = os.path.basename(path)[: -len(".go")]
    parts = stem.split("_")
    if parts[-1] == "test":
        parts = parts[:-1]
    if len(parts) >= 3 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        if parts[-2] != goos and not (parts[-2] == "linux" and goos == "android") or parts[-1] != goarch:
            return False
    elif len(parts) >= 2 and parts[-1] in KNOWN_OS:
        if parts[-1] != goos and not (parts[-1] == "linux" and goos == "android"):
            return False
    elif len(parts) >= 2 and parts[-1] in KNOWN_ARCH:
        if parts[-1] != goarch:
            return False
    header = _header(source)
    for line in header:
        if line.startswith("//go:build "):
            return _eval(line[len("//go:build ") :], goos, goarch)
    for line in header:
        if line.startswith("// +build "):
            options = line[len("// +build ") :].split()
            if not any(all(_term(t, goos, goarch) for t in option.split(",")) for option in options):
                return False
    return True


def _term(term: str, goos: str, goarch: str) -> bool:
    return not _satisfied(term[1:], goos, goarch) if term.startswith("!") else _satisfied(term, goos, goarch)
